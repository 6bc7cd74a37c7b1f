from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from ..forms_common import options, strip
from ..models import Role
from .passwords import weakness

NAME_THE_ORGANISATION = "Name the organisation you lead a team in."


def no_control_characters(form, field) -> None:
    """An address with a NUL, tab or other control character is refused before anything else:
    cleaned up quietly, it would name someone else's account under a new lock-out key."""
    raw = field.raw_data[0] if field.raw_data else ""
    if any(ord(char) < 32 or ord(char) == 127 for char in raw):
        raise ValidationError("An e-mail address can't contain control characters.")


def email_field(*validators) -> EmailField:
    # The address is normalised once, in services.normalise_email; strip() here only trims spaces.
    return EmailField(
        "E-mail",
        filters=[lambda value: value.strip(" ") if isinstance(value, str) else value],
        validators=[no_control_characters, InputRequired(), *validators, Length(max=254)],
    )


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


class SignInLinkForm(FlaskForm):
    email = email_field()


class SignUpForm(FlaskForm):
    name = StringField("Your name", filters=[strip], validators=[InputRequired(), Length(max=200)])
    email = email_field(Email(check_deliverability=False))
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])
    role = RadioField(
        "I am joining as",
        choices=options(
            [("freelancer", "A freelancer offering my skills"), ("leader", "A leader of a team in a new organisation")]
        ),
        default="freelancer",
        validators=[InputRequired()],
    )
    organisation = StringField(
        "Organisation name",
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description="Leaders only: the organisation you are setting up on Tandem.",
    )

    def validate_password(self, field) -> None:
        if problem := weakness(field.data or "", email=self.email.data or ""):
            raise ValidationError(problem)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.role.data == "leader" and not (self.organisation.data or "").strip():
            self.organisation.errors = [*self.organisation.errors, NAME_THE_ORGANISATION]
            return False
        return valid


class ConfirmSignUpForm(FlaskForm):
    """The button a confirmation link shows; a leader may still change the organisation's name."""

    organisation = StringField("Organisation name", filters=[strip], validators=[Optional(), Length(max=200)])

    def validate_for(self, role: Role) -> bool:
        """validate_on_submit(), with a leader's organisation required."""
        if not self.is_submitted():
            return False
        valid = self.validate()
        if role is Role.LEADER and not self.organisation.data:
            self.organisation.errors = [*self.organisation.errors, NAME_THE_ORGANISATION]
            return False
        return valid
