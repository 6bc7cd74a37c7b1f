"""Composes freelancer profiles: headline, bio, how they use AI, rate, hours and skills.

The AI-usage text always matches the stance: augment-leaning freelancers talk about pairing,
coaching and people in the loop; automation-leaning ones about removing manual steps."""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ..models import AiStance, Visibility
from .domains import DOMAINS, Domain
from .people import place
from .skills import AI_SKILLS, AUGMENT_SKILLS, AUTOMATE_SKILLS, DOMAIN_SKILLS


@dataclass(frozen=True)
class Seniority:
    title: str
    years: tuple[int, int]
    rate: tuple[int, int]
    levels: tuple[int, int]
    weight: float


SENIORITIES = (
    Seniority("Junior", (2, 3), (45, 70), (2, 3), 0.15),
    Seniority("", (4, 7), (65, 105), (2, 4), 0.30),
    Seniority("Senior", (8, 12), (90, 145), (3, 5), 0.30),
    Seniority("Lead", (12, 16), (120, 180), (3, 5), 0.15),
    Seniority("Principal", (16, 24), (160, 220), (4, 5), 0.10),
)
DOMAIN_WEIGHTS = {"customer_ops": 1.2, "data": 1.5, "healthcare": 0.7, "public_sector": 0.7}
STANCE_WEIGHTS = ((AiStance.AUGMENT, 0.45), (AiStance.BALANCED, 0.30), (AiStance.AUTOMATE, 0.25))

FOCUS = {
    AiStance.AUGMENT: (
        "coaching {people} to work with AI", "pairing with {people} on AI-assisted {task}",
        "helping {people} build their own AI workflows", "AI skills that stay with the team",
        "workshops and pairing for AI-assisted {task}",
    ),
    AiStance.BALANCED: (
        "practical AI for {people}: automate the routine, coach the rest",
        "AI for {task}, with the team in charge of the judgement calls",
        "automation and upskilling for {task}",
    ),
    AiStance.AUTOMATE: (
        "end-to-end automation of {task}", "straight-through processing for {task}",
        "replacing manual {task} with reliable pipelines", "automating {task} at scale",
    ),
}
STYLE = {
    AiStance.AUGMENT: (
        "I prefer engagements where the team learns alongside me and keeps what we build.",
        "My best projects end with the team teaching the next colleague themselves.",
        "I plan every engagement around a skills hand-over, not a software delivery.",
        "People try new tools more readily when mistakes are allowed, so I start with safe experiments.",
    ),
    AiStance.BALANCED: (
        "I automate what is repetitive and invest the time saved in the team's skills.",
        "I am pragmatic about tools and careful about who owns them afterwards.",
        "I measure what the team can do at the end as well as what the system does.",
    ),
    AiStance.AUTOMATE: (
        "I like clear process metrics and projects with a measurable saving.",
        "I deliver working automation quickly and document it so IT can run it.",
        "My engagements usually end with a process that needs far fewer manual touches.",
    ),
}
USAGE = {
    AiStance.AUGMENT: (
        "I use AI as a sparring partner for {people}, not a replacement: on {task} the model drafts and the person decides.",
        "Most of my work is pairing: I sit with {people} while they try an assistant on {task}, with a person signing off every decision that matters.",
        "I run short hands-on workshops where {people} write and test their own prompts for {task}, then coach them until they no longer need me.",
        "I judge an engagement by what the team can do without me: after a few weeks of coaching, {people} maintain the {task} workflow themselves.",
        "On {task}, AI suggests and {people} review, correct and decide; we keep a simple log of where it helped and where it misled.",
        "I help teams redesign their work around AI together in workshops, starting with the tasks people find tedious, never with headcount.",
    ),
    AiStance.BALANCED: (
        "I automate the repetitive part of {task} and coach {people} on the judgement calls that stay with them.",
        "Parts of {task} can run unattended; the rest I redesign with {people} so the assistant supports their decisions.",
        "I combine automation with training: the pipeline handles the volume of {task}, and {people} learn to check and improve it.",
        "I start by asking {people} which steps of {task} they would happily give away, automate those, and pair with them on the rest.",
    ),
    AiStance.AUTOMATE: (
        "I automate {task} end to end: straight-through processing for the routine cases, with exceptions routed to a queue.",
        "My focus is replacing manual steps: I map the process, remove the copy-and-paste work around {task} and put a monitored pipeline in its place.",
        "Clients hire me to take {task} off people's desks entirely; typical projects remove most of the manual handling.",
        "I build bots and integrations that run {task} automatically, without human touch, with dashboards for throughput and error rates.",
        "I use AI models as components in automated workflows, for example classifying incoming documents so the {task} step runs unattended.",
    ),
}
PLACE_SENTENCES = (
    "Based in {city}.", "Based in {city}, working remotely with teams across time zones.",
    "I live in {city} and work remotely, with the occasional on-site workshop.",
    "Based in {city}; happy to travel for kick-offs.",
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


def compose_profile(rng: random.Random, name: str) -> ProfileDraft:
    domain = rng.choices(DOMAINS, weights=[DOMAIN_WEIGHTS.get(d.key, 1.0) for d in DOMAINS])[0]
    seniority = rng.choices(SENIORITIES, weights=[s.weight for s in SENIORITIES])[0]
    stance = rng.choices([s for s, _ in STANCE_WEIGHTS], weights=[w for _, w in STANCE_WEIGHTS])[0]
    zone, city = place(rng)
    tasks = rng.sample(domain.tasks, 2)
    role = f"{seniority.title} {rng.choice(domain.roles)}".strip()
    focus = rng.choice(FOCUS[stance]).format(people=domain.people, task=tasks[0])
    return ProfileDraft(
        name=name,
        headline=f"{role[0].upper()}{role[1:]} — {focus}",
        bio=_bio(rng, domain, seniority, stance, role, city),
        ai_stance=stance,
        ai_usage=_usage(rng, domain, stance, tasks, sentences=2 if seniority.title == "Junior" else 3),
        hourly_rate=Decimal(rng.randrange(seniority.rate[0], seniority.rate[1] + 1, 5)),
        weekly_hours=rng.choice((8, 10, 12, 16, 16, 20, 20, 24, 30, 32, 40)),
        timezone=zone,
        visibility=rng.choices(list(Visibility), weights=(90, 5, 5))[0],
        skills=_skills(rng, domain, seniority, stance),
    )


def _bio(rng: random.Random, domain: Domain, seniority: Seniority, stance: AiStance, role: str, city: str) -> str:
    years = rng.randint(*seniority.years)
    achievement = rng.choice(domain.achievements).format(
        pct=rng.randrange(15, 55), n=rng.randrange(6, 60), weeks=rng.randrange(5, 12)
    )
    return " ".join((
        f"{role[0].upper()}{role[1:]} with {years} years {rng.choice(domain.backgrounds)}.",
        achievement, rng.choice(STYLE[stance]), rng.choice(PLACE_SENTENCES).format(city=city),
    ))


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
    unique = list(dict.fromkeys(labels))
    return tuple((label, rng.randint(*seniority.levels)) for label in unique)
