"""The engagement page's forms; validation and its messages live here."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms_common import options, strip
from ..models import ArtifactKind, SessionKind
from .activity import MAX_MINUTES, is_web_link

LEVEL_MESSAGE = "Levels go from 1 (aware) to 5 (expert)."
LEVEL = {"min": 1, "max": 5}


def level_field(label: str, *, required: bool = True, default: int | None = None) -> IntegerField:
    first = InputRequired(message="Give a level from 1 to 5.") if required else Optional()
    return IntegerField(
        label, default=default, validators=[first, NumberRange(1, 5, message=LEVEL_MESSAGE)], render_kw=LEVEL
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TargetNotBelowBaseline:
    def validate_target(self, field) -> None:
        if field.data is not None and self.baseline.data is not None and field.data < self.baseline.data:
            raise ValidationError("The target can't be below the baseline.")


class PlanItemsForm(TargetNotBelowBaseline, FlaskForm):
    skill = StringField(
        "Skill to transfer",
        filters=[strip],
        validators=[InputRequired(), Length(max=255)],
        render_kw={"list": "plan-skill-options", "autocomplete": "off"},
        description="One of the need's skills, a skill from the ESCO taxonomy, or your own words.",
    )
    team_member_ids = MultiCheckboxField(
        "Who learns it", coerce=int, validators=[InputRequired(message="Choose at least one team member.")]
    )
    baseline = level_field("Baseline level", default=1)
    target = level_field("Target level", default=3)


class LevelsForm(TargetNotBelowBaseline, FlaskForm):
    baseline = level_field("Baseline")
    target = level_field("Target")
    final = level_field("Final", required=False)


class TeamMemberForm(FlaskForm):
    name = StringField("Name", filters=[strip], validators=[InputRequired(), Length(max=200)])
    role_title = StringField("Role", filters=[strip], validators=[Optional(), Length(max=200)])
    email = StringField("E-mail (optional)", filters=[strip], validators=[Optional(), Email(), Length(max=254)])


class SessionForm(FlaskForm):
    kind = SelectField("Kind", choices=options((kind.value, kind.value.capitalize()) for kind in SessionKind))
    held_on = DateField("Date", default=date.today, validators=[InputRequired(message="Give the session's date.")])
    minutes = IntegerField(
        "Length (minutes)",
        validators=[
            InputRequired(message="Give the session's length in minutes."),
            NumberRange(1, MAX_MINUTES, message=f"A session lasts between 1 and {MAX_MINUTES} minutes."),
        ],
        render_kw={"min": 1, "max": MAX_MINUTES},
    )
    attendee_ids = MultiCheckboxField("Who attended", coerce=int, validators=[Optional()])
    plan_item_ids = MultiCheckboxField("Plan items it served", coerce=int, validators=[Optional()])
    notes = TextAreaField("Notes", filters=[strip], validators=[Optional(), Length(max=4000)])

    def validate_held_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError("A session can't be in the future: log it once it has happened.")


class ArtifactForm(FlaskForm):
    kind = SelectField("Kind", choices=options((kind.value, kind.value.capitalize()) for kind in ArtifactKind))
    title = StringField("Title", filters=[strip], validators=[InputRequired(), Length(max=200)])
    url = StringField(
        "Link",
        filters=[strip],
        validators=[InputRequired(), Length(max=2000)],
        render_kw={"type": "url", "placeholder": "https://"},
    )

    def validate_url(self, field) -> None:
        if field.data and not is_web_link(field.data):
            raise ValidationError("Links must be web addresses starting with http:// or https://.")


class DetailsForm(FlaskForm):
    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("End date", validators=[Optional()])
    agreed_hours = IntegerField(
        "Agreed hours per week", validators=[Optional(), NumberRange(1, 80)], render_kw={"min": 1, "max": 80}
    )

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date can't be before the start date.")


class MilestoneForm(FlaskForm):
    title = StringField("Milestone", filters=[strip], validators=[InputRequired(), Length(max=200)])
    due_date = DateField("Due", validators=[Optional()])


class CheckinRoundForm(FlaskForm):
    days = IntegerField(
        "Open for (days)", default=7, validators=[InputRequired(), NumberRange(1, 21)], render_kw={"min": 1, "max": 21}
    )


class ReviewForm(FlaskForm):
    text = TextAreaField(
        "Your review",
        filters=[strip],
        validators=[InputRequired(), Length(min=20, max=4000)],
        description="What the team can now do on its own, what worked, what you would change.",
    )


class RatingForm(FlaskForm):
    rating = RadioField(
        "Outcome rating",
        coerce=int,
        choices=options((i, str(i)) for i in range(1, 6)),
        validators=[InputRequired(message="Pick a rating from 1 to 5.")],
        description="1: the team is no stronger · 5: the team carries on fully on its own.",
    )
