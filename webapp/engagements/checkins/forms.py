"""The pulse check-in's questions, every one on a 1-5 scale.

The three safety items follow Amy Edmondson's team psychological safety scale (positively
worded items); the others ask about trust in teammates, working with people versus alone with
AI, how clearly AI work serves the company's goals, and workload.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...forms_common import options, strip
from ..indicators import Answer

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
COLLABORATION = [
    "Almost only alone with AI tools",
    "Mostly alone with AI",
    "About half and half",
    "Mostly with colleagues",
    "Almost only together with colleagues",
]
WORKLOAD = ["Comfortably sustainable", "Sustainable", "Heavy but manageable", "Too heavy", "Overwhelming"]

QUESTIONS = {
    "safety_mistakes": ("If I make a mistake on this team, it is not held against me.", AGREE),
    "safety_risks": ("It is safe to take a risk on this team.", AGREE),
    "safety_asking": ("It is easy to ask other members of this team for help.", AGREE),
    "peer_trust": ("I can count on my teammates to do what they say they will do.", AGREE),
    "collaboration": ("These past weeks, how did you mostly work?", COLLABORATION),
    "goal_clarity": ("I can see clearly how my work with AI serves our company's goals.", AGREE),
    "workload": ("How has your workload been these past weeks?", WORKLOAD),
}


def _question(name: str) -> RadioField:
    text, labels = QUESTIONS[name]
    choices = options((i, f"{i} · {label}") for i, label in enumerate(labels, start=1))
    return RadioField(text, coerce=int, choices=choices, validators=[InputRequired(message="Please pick one answer.")])


class CheckinForm(FlaskForm):
    safety_mistakes = _question("safety_mistakes")
    safety_risks = _question("safety_risks")
    safety_asking = _question("safety_asking")
    peer_trust = _question("peer_trust")
    collaboration = _question("collaboration")
    goal_clarity = _question("goal_clarity")
    workload = _question("workload")
    comment = TextAreaField(
        "Anything else? (optional; shown only with at least two other answers)",
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
    )

    def answer(self) -> Answer:
        return Answer(**{name: getattr(self, name).data for name in QUESTIONS})
