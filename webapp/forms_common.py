"""Small pieces shared by the forms of several areas."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask import Flask, request
from wtforms import DecimalField, Form, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    # NUL never means anything in typed text, and PostgreSQL refuses it in a text column.
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class AmountField(DecimalField):
    """A DecimalField that refuses NaN and infinity: Decimal accepts them, and comparing NaN
    (NumberRange does) raises instead of failing validation."""

    data: Decimal | None

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def filled_rows(rows: Form) -> list[tuple[str, int]]:
    """(skill, weight) of the skill rows someone actually filled in."""
    return [(entry.skill.data, _int(entry.weight.data)) for entry in rows if (entry.skill.data or "").strip()]


def _int(value, default: int = 2) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def submitted_rows(formdata, prefix: str) -> int:
    """How many rows of a FieldList were sent (WTForms silently drops those past max_entries)."""
    if not formdata:
        return 0
    return len({key.split("-")[1] for key in formdata if key.startswith(prefix + "-") and key.count("-") >= 2})


class RowLimitMixin:
    """Refuses more skill rows than the form keeps, instead of dropping the extra ones."""

    skills: Any  # the FieldList of the form this is mixed into

    def validate(self, extra_validators=None) -> bool:
        valid: bool = super().validate(extra_validators)  # type: ignore[misc]  # the FlaskForm it is mixed into has validate
        sent = submitted_rows(_request_form(), "skills")
        if sent > self.skills.max_entries:
            self.skills.errors.append(
                f"At most {self.skills.max_entries} skills: you sent {sent}. Keep the ones that matter most."
            )
            return False
        return valid


def _request_form():
    return request.form if request else None


def error_summary(form) -> list[tuple[str, str]]:
    """(id of the field to go to, message naming the field) for every error in the form, in its
    order: the list at the top of a form that failed (the GOV.UK error summary)."""
    return [problem for field in form if field.type != "CSRFTokenField" for problem in _field_errors(field)]


def _field_errors(field) -> list[tuple[str, str]]:
    if field.type == "FieldList":
        first = field.entries[0].id if field.entries else field.id
        own = [
            (_first_input(field.entries[0]) if field.entries else first, message)
            for message in field.errors
            if isinstance(message, str)
        ]
        return own + [problem for entry in field.entries for problem in _field_errors(entry)]
    if field.type == "FormField":
        return [problem for sub in field.form for problem in _field_errors(sub)]
    label = field.label.text.rstrip(":")
    return [(_first_input(field), f"{label}: {message}") for message in field.errors]


def _first_input(field) -> str:
    """The id a link should point at: a radio or checkbox group's first option, else the field."""
    if field.type == "FormField":
        return next(iter(field.form)).id
    if field.type in ("RadioField", "MultiCheckboxField") and list(field.iter_choices()):
        return f"{field.id}-0"
    return field.id


@cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA time zone this Python knows, for the time-zone fields' suggestions."""
    # Region/City names and UTC: the legacy aliases (EST, Cuba, GB-Eire ...) would only clutter the list.
    return ("UTC", *sorted(name for name in available_timezones() if "/" in name and not name.startswith("Etc/")))


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())  # reads the zone files: 17 ms a call, once is enough


def valid_timezone(name: str) -> bool:
    return name in _known_timezones()


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(error_summary=error_summary, timezone_names=timezone_names)
