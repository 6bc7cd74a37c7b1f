from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from ..forms_common import options, strip
from .passwords import weakness


class SignInForm(FlaskForm):
    email = EmailField("E-mail", filters=[strip], validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


class SignUpForm(FlaskForm):
    name = StringField("Your name", filters=[strip], validators=[InputRequired(), Length(max=200)])
    email = EmailField(
        "E-mail", filters=[strip], validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])
    role = RadioField(
        "I am joining as",
        choices=options([
            ("freelancer", "A freelancer offering my skills"),
            ("leader", "A leader of a team in a new organisation"),
        ]),
        default="freelancer",
        validators=[InputRequired()],
    )
    organisation = StringField(
        "Organisation name", filters=[strip], validators=[Optional(), Length(max=200)],
        description="Leaders only: the organisation you are setting up on Tandem.",
    )

    def validate_password(self, field) -> None:
        if problem := weakness(field.data or "", email=self.email.data or ""):
            raise ValidationError(problem)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.role.data == "leader" and not (self.organisation.data or "").strip():
            self.organisation.errors = [*self.organisation.errors, "Name the organisation you lead a team in."]
            return False
        return valid
