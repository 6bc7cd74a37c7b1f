"""Small pieces shared by the forms of several areas."""
from __future__ import annotations

from wtforms import Form


def strip(value):
    return value.strip() if isinstance(value, str) else value


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
