from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms_common import AmountField, RowLimitMixin, options, strip, valid_timezone
from ..models import AiStance, Visibility

LEVELS = [
    ("5", "5 expert"),
    ("4", "4 advanced"),
    ("3", "3 practitioner"),
    ("2", "2 working knowledge"),
    ("1", "1 aware"),
]


class ProfileSkillRow(Form):
    skill = StringField(
        "Skill",
        filters=[strip],
        validators=[Optional(), Length(max=255)],
        render_kw={"list": "skill-options", "autocomplete": "off"},
    )
    weight = SelectField("Level", choices=options(LEVELS), default="3")


class ProfileForm(RowLimitMixin, FlaskForm):
    headline = StringField(
        "Headline",
        filters=[strip],
        validators=[InputRequired(), Length(max=200)],
        render_kw={"class": "reads-skills"},
        description="What you do, in one line: e.g. 'Data analyst who coaches teams into self-serve analytics'.",
    )
    bio = TextAreaField(
        "About you", filters=[strip], validators=[Optional(), Length(max=5000)], render_kw={"class": "reads-skills"}
    )
    skills = FieldList(FormField(ProfileSkillRow), min_entries=8, max_entries=40)
    ai_stance = RadioField(
        "How do you use AI with teams?",
        default=AiStance.BALANCED.value,
        choices=options(
            [
                (
                    AiStance.AUGMENT.value,
                    "Mostly to augment people: pairing, coaching, tools that keep people in the loop",
                ),
                (AiStance.BALANCED.value, "Both"),
                (AiStance.AUTOMATE.value, "Mostly to automate tasks end to end"),
            ]
        ),
    )
    ai_usage = TextAreaField(
        "How you use AI, with examples",
        filters=[strip],
        validators=[Optional(), Length(max=3000)],
        render_kw={"class": "reads-skills"},
    )
    hourly_rate = AmountField(
        "Hourly rate", places=2, validators=[Optional(), NumberRange(0, 10000, "Enter a rate between 0 and 10,000.")]
    )
    weekly_hours = IntegerField("Hours available per week", validators=[Optional(), NumberRange(1, 80)])
    timezone = StringField(
        "Time zone",
        filters=[strip],
        validators=[Optional(), Length(max=64)],
        description="An IANA name such as Europe/Lisbon.",
        render_kw={"list": "timezone-options", "autocomplete": "off"},
    )
    visibility = RadioField(
        "Who can find you",
        default=Visibility.PUBLIC.value,
        choices=options(
            [
                (Visibility.PUBLIC.value, "Every organisation on Tandem"),
                (Visibility.INVITING_ORGANISATIONS.value, "Only organisations that already invited me"),
                (Visibility.HIDDEN.value, "Nobody (hidden from every ranking and search)"),
            ]
        ),
    )

    def validate_timezone(self, field) -> None:
        if field.data and not valid_timezone(field.data):
            raise ValidationError("Unknown time zone: use a name such as Europe/Lisbon.")


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Reason (optional, shared with the leader)", filters=[strip], validators=[Optional(), Length(max=1000)]
    )


class InterestForm(FlaskForm):
    note = TextAreaField("A note for the leader (optional)", filters=[strip], validators=[Optional(), Length(max=1000)])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[InputRequired(message="Type your password to confirm."), Length(max=200)]
    )
