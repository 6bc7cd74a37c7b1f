"""`flask demo seed`: the whole demo in one transaction, and the accounts to sign in with.

The content is deterministic (one seeded generator); passwords are not: each seed draws new
passphrases, printed once by the CLI. Every freelancer shares one password, hashed once, as
Argon2 takes ~50 ms a hash. Embeddings are left to the indexer, which runs after seeding."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

import click
from sqlalchemy import select

from ..auth.passwords import hash_password
from ..extensions import db
from ..models import Need, Organisation, Role, User, utcnow
from .builders import build_need, build_organisation, build_profile, build_user, featured_draft
from .content import FEATURED_FREELANCER, LARKSPUR, ORGANISATIONS
from .needs_text import compose_need, need_slots
from .people import unique_names
from .plot import play_out
from .profiles_text import compose_profile
from .skills import SkillBook, all_labels
from .world import World, audit

SEED = 20_240_917
DEMO_ADMIN = "Noor Haddad"
WORDS = (
    "harbour",
    "lantern",
    "copper",
    "meadow",
    "orbit",
    "willow",
    "granite",
    "pepper",
    "falcon",
    "cobalt",
    "tundra",
    "saffron",
    "beacon",
    "juniper",
    "quartz",
    "ember",
    "glacier",
    "maple",
)


class DemoAlreadySeeded(click.ClickException):
    pass


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


def database_has_users() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


def seed_demo(profiles: int = 220, needs: int = 32) -> list[DemoAccount]:
    """Writes the demo and commits once; on any error nothing is left behind."""
    if db.session.scalar(select(Organisation.id).where(Organisation.name == LARKSPUR.name)):
        raise DemoAlreadySeeded(f"{LARKSPUR.name} already exists: the demo is seeded.")
    try:
        accounts = _seed(max(profiles, 1), max(needs, 1))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return accounts


def _seed(profile_count: int, need_count: int) -> list[DemoAccount]:
    rng = random.Random(SEED)
    world = World(rng=rng, now=utcnow(), skills=SkillBook.load(all_labels()))
    accounts, by_org = _organisations(world)
    freelancer_password = _passphrase()
    freelancer_hash = hash_password(freelancer_password)  # once, for every freelancer
    featured = build_profile(world, featured_draft(), freelancer_hash)
    names = unique_names(rng, profile_count - 1, _names_in_use())
    headlines = {featured.headline}  # two people rarely describe themselves in the same words
    profiles = [featured] + [
        build_profile(world, compose_profile(rng, name, headlines), freelancer_hash) for name in names
    ]
    needs = _needs(world, by_org, need_count)
    db.session.flush()
    staff = [*world.leaders.values(), world.program_manager]
    _audit_accounts([user for user in staff if user] + [profile.user for profile in profiles])
    play_out(world, needs, profiles, featured)
    db.session.flush()
    # Printed in this order: leader, program manager, freelancer, admin, then the second organisation's leader.
    freelancer = DemoAccount(Role.FREELANCER.value, featured.user.email, freelancer_password)
    return accounts[:2] + [freelancer] + accounts[2:]


def _names_in_use() -> set[str]:
    members = {name for spec in ORGANISATIONS for team in spec.teams for name, _ in team.members}
    staff = {name for spec in ORGANISATIONS for name in (spec.leader, spec.program_manager) if name} | {DEMO_ADMIN}
    return members | staff | {FEATURED_FREELANCER["name"]}


def _organisations(world: World) -> tuple[list[DemoAccount], dict[str, tuple]]:
    accounts, by_org = [], {}
    for spec in ORGANISATIONS:
        organisation, teams, goals = build_organisation(world, spec)
        by_org[spec.name] = (spec, organisation, teams, goals)
        people = [(Role.LEADER, spec.leader), (Role.PROGRAM_MANAGER, spec.program_manager)]
        if spec is LARKSPUR:  # reads the outbox page, where the demo's e-mails land
            people.append((Role.ADMIN, DEMO_ADMIN))
        for role, name in people:
            if not name:  # an organisation without a program manager
                continue
            password = _passphrase()
            user = build_user(
                world, name, role, hash_password(password), organisation=organisation, email_domain=spec.email_domain
            )
            user.created_at = organisation.created_at
            accounts.append(DemoAccount(role.value, user.email, password))
            if role is Role.LEADER:
                world.leaders[organisation.id] = user
                for team in teams.values():
                    team.leaders.append(user)
            elif role is Role.PROGRAM_MANAGER and spec is LARKSPUR:
                world.program_manager = user
    return accounts, by_org


def _needs(world: World, by_org: dict[str, tuple], count: int) -> list[Need]:
    needs = []
    for spec, team_spec, problem, phase in need_slots(ORGANISATIONS, count):
        _, organisation, teams, goals = by_org[spec.name]
        draft = compose_need(world.rng, spec, team_spec, problem, phase)
        need = build_need(
            world, draft, organisation, teams[team_spec.key], goals.get(draft.goal_key), world.leaders[organisation.id]
        )
        world.work_of[need] = problem.work
        needs.append(need)
    return needs


def _audit_accounts(users: list[User]) -> None:
    for user in users:
        audit(user.created_at, None, "user", user.id, "created", to_state=user.role.value)


def _passphrase() -> str:
    return "-".join(secrets.SystemRandom().sample(WORDS, 3)) + f"-{secrets.randbelow(90) + 10}"
