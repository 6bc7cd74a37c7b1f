"""The follow-up's form: one 1-5 question per plan skill, built for the skills of the link's plan."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from ...forms_common import options

LEVEL_WORDS = ("aware", "beginner", "practitioner", "confident", "expert")  # the plan's scale


def followup_form(skills: tuple[str, ...]) -> FlaskForm:
    """One 1-5 question per plan skill (fields skill_0, skill_1, ... in the skills' order)."""

    class FollowupForm(FlaskForm):
        pass

    for i, skill in enumerate(skills):
        setattr(
            FollowupForm,
            f"skill_{i}",
            RadioField(
                f"My level in {skill} today",
                coerce=int,
                choices=options((level, f"{level} · {word}") for level, word in enumerate(LEVEL_WORDS, start=1)),
                validators=[InputRequired(message="Please pick your level.")],
            ),
        )
    return FollowupForm()
