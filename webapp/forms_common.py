"""Small pieces shared by the forms of several areas."""
from __future__ import annotations

from wtforms import DecimalField, Form
from wtforms.fields.choices import SelectChoice


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    # NUL never means anything in typed text, and PostgreSQL refuses it in a text column.
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class AmountField(DecimalField):
    """A DecimalField that refuses NaN and infinity: Decimal accepts them, and comparing NaN
    (NumberRange does) raises instead of failing validation."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


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

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        sent = submitted_rows(_request_form(), "skills")
        if sent > self.skills.max_entries:
            self.skills.errors.append(f"At most {self.skills.max_entries} skills: you sent {sent}. Keep the ones that matter most.")
            return False
        return valid


def _request_form():
    from flask import request

    return request.form if request else None
