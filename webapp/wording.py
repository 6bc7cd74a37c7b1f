"""Numbers and evidence as a person reads them: plain words, never field names or formulas."""

from __future__ import annotations

from flask import Flask

from matching import describe_record

LEANS_TO_AUGMENT, LEANS_TO_AUTOMATE = 0.6, 0.4
SOURCES = {
    "headline": "headline",
    "bio": "bio",
    "ai_usage": "how they use AI",
    "skill": "skills",
    "title": "title",
    "description": "description",
    "learning_goals": "learning goals",
}


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


# --- why a match: a few short sentences, the evidence quoted --------------------------------

CLOSENESS = {
    "strong": "What they do reads very close to what this need describes.",
    "good": "What they do reads close to this need.",
    "partial": "Part of their work overlaps with this need.",
    "weak": "Little of their work touches this need.",
}
CLOSENESS_FOR_FREELANCER = {
    "strong": "This need reads very close to what you do.",
    "good": "This need reads close to what you do.",
    "partial": "Part of this need overlaps with what you do.",
    "weak": "Little of this need touches what you do.",
}
LABELS = {"strong": "Strong fit", "good": "Good fit", "partial": "Partial fit", "weak": "Weak fit"}
FOCUS_SHOWN = 0.1  # an augmentation focus this far from neutral is worth a sentence


def skills_sentence(match, *, for_freelancer: bool = False) -> str:
    """Which of the need's skills are covered, partly covered (and by what) and missing."""
    matched, related, missing = list(match.matched_skills), list(match.related_skills), list(match.missing_skills)
    asked = len(matched) + len(related) + len(missing)
    if not asked:
        return ""
    subject = "You have" if for_freelancer else "Has"
    if len(matched) == asked:
        parts = [
            f"{subject} the skill asked for: {matched[0]}"
            if asked == 1
            else f"{subject} all {asked} skills asked for: {_and(matched)}"
        ]
    elif matched:
        parts = [f"{subject} {len(matched)} of the {asked} skills asked for: {_and(matched)}"]
    else:
        parts = [
            f"{subject} none of the {asked} skills asked for" if asked > 1 else f"{subject} not the skill asked for"
        ]
    for wanted, near, how in related:
        parts.append(
            f"{wanted} is partly covered by {near} ({'a related skill' if how == 'related' else 'a similar name'})"
        )
    if missing and (matched or related):
        parts.append(f"missing: {_and(missing)}")
    elif missing:
        parts[0] += f" ({_and(missing)})"
    return "; ".join(parts) + "."


def focus_sentence(match, *, for_freelancer: bool = False) -> str:
    """What the person's own words say of how they work with AI, quoted."""
    focus = match.augmentation
    if focus is None or abs(focus.score - 0.5) < FOCUS_SHOWN:
        return ""
    towards = 1 if focus.score > 0.5 else -1
    quotes = evidence_quotes(focus.evidence, towards, limit=2)
    way = "augment people" if towards > 0 else "automate work away"
    who = "You work to" if for_freelancer else "Works to"
    said = (
        f", in {'your' if for_freelancer else 'their'} words: " + ", ".join(f"“{q}”" for q in quotes) if quotes else ""
    )
    return f"{who} {way}{said}."


def fit_sentences(match) -> list[str]:
    """The rate, hours and time-zone notes, as sentences."""
    return [
        _capitalised(note) + "."
        for note in match.notes
        if not note.endswith(("(related)", "(similar name)")) and "part left out" not in note
    ]


def record_sentence(match, *, for_freelancer: bool = False) -> str:
    """The transfer record in words, with n and how sure it is; whether it moved this ranking."""
    if for_freelancer or match.record is None or not match.record.engagements:
        return ""  # no engagements yet: nothing to say on a card (the profile page says it)
    words = "Track record: " + record_words(match.record)
    if "record" not in match.parts:
        return words + " This need neither leans to augmenting nor states a learning goal, so it doesn't count here."
    return words


def record_words(record, *, own: bool = False) -> str:
    """A record in plain words (matching.track_record.describe), never a bare number."""
    return describe_record(record, own=own)


def why(match, *, for_freelancer: bool = False) -> list[str]:
    """One or two short sentences on why this person (or this need) fits, then the fit notes."""
    closeness = (CLOSENESS_FOR_FREELANCER if for_freelancer else CLOSENESS).get(match.label, "")
    sentences = [
        closeness,
        skills_sentence(match, for_freelancer=for_freelancer),
        focus_sentence(match, for_freelancer=for_freelancer),
        record_sentence(match, for_freelancer=for_freelancer),
    ]
    return [s for s in sentences if s] + fit_sentences(match)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        lean_words=lean_words,
        source_words=source_words,
        evidence_quotes=evidence_quotes,
        why=why,
        fit_labels=LABELS,
        record_words=record_words,
    )
