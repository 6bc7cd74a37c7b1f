from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms_common import AmountField, strip
from ..search.ranking import MAX_PAGE


class CandidateFilterForm(Form):
    """Read from the query string so every filtered list has a URL to share."""

    max_rate = AmountField("Max rate /h", validators=[Optional(), NumberRange(0, 10000)])
    min_hours = IntegerField("Min hours/week", validators=[Optional(), NumberRange(0, 80)])
    max_gap = IntegerField("Max time-zone gap (h)", validators=[Optional(), NumberRange(0, 24)])
    min_augmentation = AmountField("Min augmentation focus (0-1)", places=2, validators=[Optional(), NumberRange(0, 1)])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(1, MAX_PAGE)])


class InvitationForm(FlaskForm):
    message = TextAreaField(
        "Message",
        filters=[strip],
        validators=[InputRequired(), Length(max=2000)],
        description="Say why you think they fit and what the team hopes to learn.",
    )
