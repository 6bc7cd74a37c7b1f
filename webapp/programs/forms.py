"""The dashboard's filters, read from the query string so every view of it has a URL to share."""

from __future__ import annotations

from wtforms import DateField, Form, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..forms_common import options, strip
from .outcomes import DEFAULT_SORT, FOCUS_LABELS, SORT_KEYS, STATUSES, ProgramFilters, ProgramQuery

ANY = ("", "Any")
BLANK_IS_ANY = [strip]  # " " passes Optional() without a choice check: make it "" (any)


class ProgramFilterForm(Form):
    team = SelectField("Team", filters=BLANK_IS_ANY, validators=[Optional()])
    goal = SelectField("Company goal", filters=BLANK_IS_ANY, validators=[Optional()])
    status = SelectField(
        "Status",
        choices=options([ANY] + [(s, s.capitalize()) for s in STATUSES]),
        filters=BLANK_IS_ANY,
        validators=[Optional()],
    )
    intent = SelectField(
        "Intent", choices=options([ANY, *FOCUS_LABELS.items()]), filters=BLANK_IS_ANY, validators=[Optional()]
    )
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])
    sort = SelectField(
        "Sort by",
        choices=options((key, key) for key in SORT_KEYS),
        default=DEFAULT_SORT[0],
        filters=BLANK_IS_ANY,
        validators=[Optional()],
    )
    dir = SelectField(
        "Order",
        choices=options([("desc", "descending"), ("asc", "ascending")]),
        default="desc",
        filters=BLANK_IS_ANY,
        validators=[Optional()],
    )
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(1, 10_000)])

    def __init__(self, formdata, *, teams: list[tuple[int, str]], goals: list[tuple[int, str]]):
        super().__init__(formdata)
        self.team.choices = options([ANY] + [(str(team_id), name) for team_id, name in teams])
        self.goal.choices = options([ANY] + [(str(goal_id), title) for goal_id, title in goals])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end of the period can't be before its start.")

    def query(self) -> ProgramQuery:
        """What was asked, leaving out any field that did not validate (shown with its error)."""
        self.validate()
        valid = {name: f.data for name, f in self._fields.items() if not f.errors and f.data not in ("", None)}
        filters = ProgramFilters(
            team_id=int(valid["team"]) if "team" in valid else None,
            goal_id=int(valid["goal"]) if "goal" in valid else None,
            status=valid.get("status"),
            intent=valid.get("intent"),
            since=valid.get("since"),
            until=valid.get("until"),
        )
        sort = valid.get("sort", DEFAULT_SORT[0])
        return ProgramQuery(filters, sort, valid.get("dir", "desc") == "desc", valid.get("page") or 1)
