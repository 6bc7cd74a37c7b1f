"""The engagement's own forms (dates and hours, milestones, reviews, the outcome rating);
validation and its messages live here. The plan's and the activity's forms are in their
sub-packages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms_common import options, strip


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
