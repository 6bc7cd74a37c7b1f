"""The forms for what happens during an engagement: a session, an artifact, a check-in round."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...forms_common import MultiCheckboxField, options, strip
from ...models import ArtifactKind, SessionKind
from .services import MAX_MINUTES, is_web_link


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


class CheckinRoundForm(FlaskForm):
    days = IntegerField(
        "Open for (days)", default=7, validators=[InputRequired(), NumberRange(1, 21)], render_kw={"min": 1, "max": 21}
    )
