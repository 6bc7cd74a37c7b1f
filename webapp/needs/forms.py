from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms_common import AmountField, RowLimitMixin, options, strip, valid_timezone
from ..models import Intent

IMPORTANCE = [("3", "Essential"), ("2", "Important"), ("1", "Nice to have")]
INTENT_CHOICES = [
    (Intent.DERIVED.value, "As our description reads (shown below as you write)"),
    (Intent.AUGMENT.value, "Augment: amplify what our people can do"),
    (Intent.BALANCED.value, "Balanced: some of both"),
    (Intent.AUTOMATE.value, "Automate: take tasks off the team's plate"),
]


class NeedSkillRow(Form):
    skill = StringField(
        "Skill",
        filters=[strip],
        validators=[Optional(), Length(max=255)],
        render_kw={"list": "skill-options", "autocomplete": "off"},
    )
    weight = SelectField("Importance", choices=options(IMPORTANCE), default="2")


class NeedForm(RowLimitMixin, FlaskForm):
    title = StringField("Title", filters=[strip], validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(
        "What the team does and what it needs", filters=[strip], validators=[InputRequired(), Length(min=20, max=5000)]
    )
    team_id = SelectField("Team", coerce=int, validators=[InputRequired()])
    goal_id = SelectField("Company goal it serves", coerce=int, validators=[Optional()])
    intent = RadioField(
        "Augment or automate?",
        choices=options(INTENT_CHOICES),
        default=Intent.DERIVED.value,
        validate_choice=False,
        validators=[InputRequired(message="Choose how to weigh augmenting people against automating tasks.")],
    )

    def validate_intent(self, field) -> None:
        if field.data not in {value for value, _ in INTENT_CHOICES}:
            raise ValidationError("Choose one of the four: as the description reads, augment, balanced or automate.")

    skills = FieldList(FormField(NeedSkillRow), min_entries=6, max_entries=20)
    learning_goals = TextAreaField(
        "What the team must be able to do by the end", filters=[strip], validators=[InputRequired(), Length(max=2000)]
    )
    duration_weeks = IntegerField("Duration (weeks)", validators=[Optional(), NumberRange(1, 104)])
    hours_per_week = IntegerField("Hours per week", validators=[Optional(), NumberRange(1, 60)])
    budget_min = AmountField("Budget from (per hour)", places=2, validators=[Optional(), NumberRange(0, 10000)])
    budget_max = AmountField("Budget up to (per hour)", places=2, validators=[Optional(), NumberRange(0, 10000)])
    budget_firm = BooleanField("The budget is firm: don't show anyone who asks for more", default=False)
    team_gap = BooleanField(
        "Weigh the skills by my team's gap",
        default=True,
        description="Skills your team already holds (from earlier engagements' final levels and follow-ups) count "
        "less, so candidates are ranked for what the team lacks.",
    )
    timezone = StringField(
        "Time zone",
        filters=[strip],
        validators=[Optional(), Length(max=64)],
        description="An IANA name such as Europe/Berlin; leave empty for anywhere.",
        render_kw={"list": "timezone-options"},
    )
    remote = BooleanField("Remote work is fine", default=True)
    internal_notes = TextAreaField(
        "Internal notes (never shown to freelancers)", filters=[strip], validators=[Optional(), Length(max=2000)]
    )

    def validate_budget_max(self, field) -> None:
        if field.data is not None and self.budget_min.data is not None and field.data < self.budget_min.data:
            raise ValidationError("The upper budget must be at least the lower one.")

    def validate_timezone(self, field) -> None:
        if field.data and not valid_timezone(field.data):
            raise ValidationError("Unknown time zone: use a name such as Europe/Berlin or America/New_York.")
