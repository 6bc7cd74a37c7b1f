"""Composes freelancer profiles: headline, bio, how they use AI, rate, hours and skills, from the
words in data/domains.yaml and data/profiles.yaml.

Headlines and bios come in several shapes, so that a marketplace of two hundred people doesn't
read as one sentence with the blanks filled in. The AI-usage text always matches the stance:
augment-leaning freelancers talk about pairing, coaching and people in the loop; automation-
leaning ones about removing manual steps."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ..models import AiStance, Visibility
from .catalogue import load
from .domains import DOMAINS, Domain
from .people import place
from .skills import AI_SKILLS, AI_TRANSFORMATION_BY_STANCE, AUGMENT_SKILLS, AUTOMATE_SKILLS, DOMAIN_SKILLS


@dataclass(frozen=True)
class Seniority:
    title: str
    years: tuple[int, int]
    rate: tuple[int, int]
    levels: tuple[int, int]
    weight: float


_TEXT = load("profiles")
SENIORITIES = tuple(
    Seniority(s["title"], tuple(s["years"]), tuple(s["rate"]), tuple(s["levels"]), s["weight"])
    for s in _TEXT["seniorities"]
)
DOMAIN_WEIGHTS: dict[str, float] = _TEXT["domain_weights"]
STANCE_WEIGHTS = tuple((AiStance(stance), weight) for stance, weight in _TEXT["stance_weights"].items())
BIO_FORMS, JUNIOR_BIO_FORMS = tuple(_TEXT["bio_forms"]), tuple(_TEXT["junior_bio_forms"])
MISSIONS = {AiStance(stance): tuple(lines) for stance, lines in _TEXT["missions"].items()}
STYLE = {AiStance(stance): tuple(lines) for stance, lines in _TEXT["style"].items()}
USAGE = {AiStance(stance): tuple(lines) for stance, lines in _TEXT["usage"].items()}
EXTRAS, PLACE_SENTENCES, PLACE_LEADS = (
    tuple(_TEXT["extras"]),
    tuple(_TEXT["place_sentences"]),
    tuple(_TEXT["place_leads"]),
)


@dataclass(frozen=True)
class ProfileDraft:
    name: str
    headline: str
    bio: str
    ai_stance: AiStance
    ai_usage: str
    hourly_rate: Decimal
    weekly_hours: int
    timezone: str
    visibility: Visibility
    skills: tuple[tuple[str, int], ...]  # (label, level 1-5)


def compose_profile(rng: random.Random, name: str, taken: set[str] | None = None) -> ProfileDraft:
    """A profile for `name`; with `taken`, a headline nobody in it has yet where one is left (it is added)."""
    domain = rng.choices(DOMAINS, weights=[DOMAIN_WEIGHTS.get(d.key, 1.0) for d in DOMAINS])[0]
    seniority = rng.choices(SENIORITIES, weights=[s.weight for s in SENIORITIES])[0]
    stance = rng.choices([s for s, _ in STANCE_WEIGHTS], weights=[w for _, w in STANCE_WEIGHTS])[0]
    zone, city = place(rng)
    tasks = rng.sample(domain.tasks, 2)
    role = f"{seniority.title} {rng.choice(domain.roles)}".strip()
    return ProfileDraft(
        name=name,
        headline=_headline(rng, domain, stance, role, tasks, set() if taken is None else taken),
        bio=_bio(rng, domain, seniority, stance, role, city),
        ai_stance=stance,
        ai_usage=_usage(rng, domain, stance, tasks, sentences=2 if seniority.title == "Junior" else 3),
        hourly_rate=Decimal(rng.randrange(seniority.rate[0], seniority.rate[1] + 1, 5)),
        weekly_hours=rng.choice((8, 10, 12, 16, 16, 20, 20, 24, 30, 32, 40)),
        timezone=zone,
        visibility=rng.choices(list(Visibility), weights=(90, 5, 5))[0],
        skills=_skills(rng, domain, seniority, stance),
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _headline(
    rng: random.Random, domain: Domain, stance: AiStance, role: str, tasks: list[str], taken: set[str]
) -> str:
    templates = list(domain.headlines[stance])
    rng.shuffle(templates)
    options = [_capital(t.format(role=role, task=tasks[0], task2=tasks[1], people=domain.people)) for t in templates]
    headline = next((option for option in options if option not in taken), options[0])
    taken.add(headline)
    return headline


def _bio(rng: random.Random, domain: Domain, seniority: Seniority, stance: AiStance, role: str, city: str) -> str:
    forms = JUNIOR_BIO_FORMS if seniority.title == "Junior" else BIO_FORMS
    achievement = rng.choice(domain.achievements).format(
        pct=rng.randrange(15, 55), n=rng.randrange(6, 60), weeks=rng.randrange(5, 12)
    )
    words = {
        "role": role.lower() if seniority.title else role,
        "Role": _capital(role),
        "years": rng.randint(*seniority.years),
        "background": rng.choice(domain.backgrounds),
        "achievement": achievement,
        "style": rng.choice(STYLE[stance]),
        "former": rng.choice(domain.former),
        "mission": rng.choice(MISSIONS[stance]),
        "extra": rng.choice(EXTRAS),
        "place": rng.choice(PLACE_SENTENCES).format(city=city),
        "place_lead": rng.choice(PLACE_LEADS).format(city=city),
    }
    return " ".join(rng.choice(forms).format(**words).split())


def _usage(rng: random.Random, domain: Domain, stance: AiStance, tasks: list[str], *, sentences: int) -> str:
    templates = rng.sample(USAGE[stance], sentences)
    # Name the people once; after that they are "the team", as one would write it.
    return " ".join(
        template.format(people=domain.people if i == 0 else "the team", task=tasks[i % len(tasks)])
        for i, template in enumerate(templates)
    )


def _skills(rng: random.Random, domain: Domain, seniority: Seniority, stance: AiStance) -> tuple[tuple[str, int], ...]:
    labels = rng.sample(DOMAIN_SKILLS[domain.key], rng.randint(4, 6))
    if rng.random() < 0.2:  # a second domain, as many freelancers have
        other = rng.choice([d for d in DOMAINS if d.key != domain.key])
        labels += rng.sample(DOMAIN_SKILLS[other.key], 2)
    way_of_working = {
        AiStance.AUGMENT: rng.sample(AUGMENT_SKILLS, 2),
        AiStance.BALANCED: [rng.choice(AUGMENT_SKILLS), rng.choice(AUTOMATE_SKILLS)],
        AiStance.AUTOMATE: rng.sample(AUTOMATE_SKILLS, 2),
    }[stance]
    labels += way_of_working
    if rng.random() < 0.6:
        labels.append(rng.choice(AI_SKILLS))
    if rng.random() < 0.55:  # the AI-transformation skills that fit the way they work
        labels += rng.sample(AI_TRANSFORMATION_BY_STANCE[stance], rng.randint(1, 2))
    unique = list(dict.fromkeys(labels))
    return tuple((label, rng.randint(*seniority.levels)) for label in unique)
