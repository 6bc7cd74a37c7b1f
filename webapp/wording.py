"""Numbers and evidence as a person reads them: plain words, never field names or formulas."""
from __future__ import annotations

from flask import Flask

LEANS_TO_AUGMENT, LEANS_TO_AUTOMATE = 0.6, 0.4
SOURCES = {"headline": "headline", "bio": "bio", "ai_usage": "how they use AI", "skill": "skills",
           "title": "title", "description": "description", "learning_goals": "learning goals"}


def lean_words(score: float | None) -> str:
    """A lean (0 automate .. 1 augment) in words."""
    if score is None:
        return "not read yet"
    if score >= LEANS_TO_AUGMENT:
        return "leans to augmenting people"
    if score <= LEANS_TO_AUTOMATE:
        return "leans to automating tasks"
    return "no clear lean either way"


def source_words(source: str) -> str:
    """Where a piece of evidence was read, in words ("ai_usage" -> "how they use AI")."""
    return SOURCES.get(source, source.replace("_", " "))


def evidence_quotes(evidence, towards: int, limit: int = 3) -> list[str]:
    """The quoted words behind a reading that pull one way (+1 augment, -1 automate), strongest first."""
    chosen = [e for e in evidence if (_weight(e) > 0) == (towards > 0) and _weight(e) != 0]
    chosen.sort(key=lambda e: -abs(_weight(e)))
    return list(dict.fromkeys(_text(e) for e in chosen))[:limit]


def _weight(e) -> float:
    return e["weight"] if isinstance(e, dict) else e.weight


def _text(e) -> str:
    return e["text"] if isinstance(e, dict) else e.text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(lean_words=lean_words, source_words=source_words, evidence_quotes=evidence_quotes)
