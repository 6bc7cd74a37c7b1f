"""The plan's forms: a skill for chosen team members, one row's levels, a new team member."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ...forms_common import MultiCheckboxField, strip
from ...models import TransferPlanItem

LEVEL_MESSAGE = "Levels go from 1 (aware) to 5 (expert)."
LEVEL = {"min": 1, "max": 5}


def level_field(label: str, *, required: bool = True, default: int | None = None) -> IntegerField:
    first = InputRequired(message="Give a level from 1 to 5.") if required else Optional()
    return IntegerField(
        label, default=default, validators=[first, NumberRange(1, 5, message=LEVEL_MESSAGE)], render_kw=LEVEL
    )


class TargetNotBelowBaseline:
    baseline: IntegerField  # the field of the form this is mixed into

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


def levels_form(item: TransferPlanItem, *, formdata: bool = False) -> LevelsForm:
    """One plan row's levels: as sent (formdata) or as they are."""
    prefix = f"item{item.id}"
    if formdata:
        return LevelsForm(prefix=prefix)
    return LevelsForm(
        formdata=None,
        prefix=prefix,
        data={"baseline": item.baseline_level, "target": item.target_level, "final": item.final_level},
    )


class TeamMemberForm(FlaskForm):
    name = StringField("Name", filters=[strip], validators=[InputRequired(), Length(max=200)])
    role_title = StringField("Role", filters=[strip], validators=[Optional(), Length(max=200)])
    email = StringField("E-mail (optional)", filters=[strip], validators=[Optional(), Email(), Length(max=254)])
