"""A scratch PostgreSQL database for the load test: migrated, the ESCO skills, the demo, 10,000
more freelancers composed like the demo's, every text embedded by the real model and the index
files saved; then check-in links and the accounts the simulated users sign in with.

    python -m loadtest.prepare [--database tandem_load] [--profiles 10000] [--fresh]

It only ever creates or drops the database it is given (never `test`, where everyone's tests
run) and reuses it when it is already prepared, since embedding 10,000 texts takes minutes."""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select, text

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "instance" / "loadtest"
ADMIN_URL = os.environ.get("TANDEM_LOAD_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BULK_DOMAIN = "load.example.net"
BULK_PASSWORD = "load test walrus anchor 77"
EDITORS = 300  # more than the freelancers of a 150-user run (about 55)
CHECKIN_MEMBERS = 150  # team members of each engaged team, so there are enough links to answer


def database_url(name: str) -> str:
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def create_database(name: str, fresh: bool) -> bool:
    """Creates `name` (dropping it first with --fresh); returns whether it was created now."""
    if name in {"test", "postgres", "template0", "template1"} or not name.startswith("tandem_load"):
        raise SystemExit(f"refusing to use database {name!r}: give a name starting with tandem_load")
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists and fresh:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        if not exists or fresh:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return not exists or fresh


def app_for(name: str):
    os.environ.update(DATABASE_URL=database_url(name), TANDEM_INDEX_DIR=str(WORK / "index"), HF_HUB_OFFLINE="1")
    from webapp import create_app

    return create_app()


def seed(profiles: int) -> dict:
    from flask import current_app

    from webapp.demo.seed import seed_demo
    from webapp.skills.taxonomy import import_skills, skill_normaliser

    esco_data = current_app.config["TANDEM_ESCO_DATA"]
    import_skills(esco_data=Path(esco_data) if esco_data else None)
    skill_normaliser(wait=True)
    accounts = seed_demo()
    add_bulk_profiles(profiles)
    other = next(account for account in accounts[1:] if account.role == accounts[0].role)  # another leader
    return {account.role: {"email": account.email, "password": account.password} for account in accounts[:3]} | {
        "other_leader": {"email": other.email, "password": other.password}
    }


def add_bulk_profiles(count: int) -> None:
    """`count` freelancers composed by the demo's own generator (other seed, other e-mail domain)."""
    from webapp.auth.passwords import hash_password
    from webapp.demo import builders
    from webapp.demo.people import unique_names
    from webapp.demo.profiles_text import compose_profile
    from webapp.demo.seed import SEED
    from webapp.demo.skills import SkillBook, all_labels
    from webapp.demo.world import World
    from webapp.extensions import db
    from webapp.models import Role, User, utcnow

    rng = random.Random(SEED + 1)
    world = World(rng=rng, now=utcnow(), skills=SkillBook.load(all_labels()))
    password_hash = hash_password(BULK_PASSWORD)
    taken = set(db.session.scalars(select(User.name)))
    names = unique_names(rng, count, taken)
    for start in range(0, count, 1000):
        for name in names[start : start + 1000]:
            builders.build_profile(world, compose_profile(rng, name), password_hash, email_domain=BULK_DOMAIN)
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.FREELANCER)) >= count


def store_bulk_vectors(batch: int = 1000) -> int:
    """Vectors for the generated freelancers without running the model over each of them.

    Embedding 10,000 field-aware profiles with the real model takes most of an hour on two busy
    cores, so each generated profile gets the mean of the real model's vectors of its skill
    labels (weighted by level, plus a little noise), stored under the hash of its real text:
    the app takes them as up to date. The demo's own needs and profiles, the profiles the run
    edits (`embed_editors`), and every profile edited during the run are embedded by the real model."""
    import numpy as np

    from matching import augmentation_focus, embedded_text, normalise, profile_fields, text_hash
    from webapp.demo.seed import SEED
    from webapp.extensions import db
    from webapp.models import Embedding, FreelancerProfile, ItemKind
    from webapp.search.docs import profile_doc
    from webapp.search.engine import embedder, occupation_bridge
    from webapp.search.kinds import load_profiles

    model, bridge, rng = embedder(), occupation_bridge(), np.random.default_rng(SEED)
    ids = list(db.session.scalars(_generated_profiles().order_by(FreelancerProfile.id)))
    for start in range(0, len(ids), batch):
        profiles = list(load_profiles(ids[start : start + batch]).values())
        docs = [profile_doc(profile) for profile in profiles]
        labels = sorted({skill.label for doc in docs for skill in doc.skills} - _label_vectors.keys())
        if labels:
            _label_vectors.update(zip(labels, model.encode(labels)))
        for profile, doc in zip(profiles, docs):
            mean = sum(max(skill.weight, 1) * _label_vectors[skill.label] for skill in doc.skills)
            vector = normalise(np.atleast_2d(mean))
            vector = normalise(vector + rng.normal(0, 0.2 / np.sqrt(model.dim), vector.shape))[0]
            text = embedded_text(profile_fields(doc), bridge)
            db.session.add(
                Embedding(
                    kind=ItemKind.PROFILE,
                    item_id=profile.id,
                    model_name=model.model_name,
                    text_hash=text_hash(text),
                    dim=model.dim,
                    vector=np.asarray(vector, dtype="<f4").tobytes(),
                )
            )
            focus = augmentation_focus(doc)
            profile.augmentation_focus = focus.score
            profile.augmentation_evidence = [
                {"source": e.source, "text": e.text, "weight": e.weight} for e in focus.evidence
            ]
        db.session.commit()
    return len(ids)


_label_vectors: dict = {}


def _generated_profiles():
    """The ids of the generated freelancers' profiles (a query to order and cut)."""
    from webapp.models import FreelancerProfile, User

    return select(FreelancerProfile.id).join(FreelancerProfile.user).where(User.email.like(f"%@{BULK_DOMAIN}"))


def embed_editors(count: int = EDITORS) -> int:
    """The generated profiles the run's freelancers sign in to (the first `count`), embedded by
    the real model with their texts' vectors kept beside (matching.known_texts), as a profile
    saved through the app is: the run's edits are then those of freelancers coming back to a
    profile they saved before. Returns how many were embedded (none once done)."""
    from sqlalchemy import delete

    from webapp.extensions import db
    from webapp.models import Embedding, ItemKind, User
    from webapp.search.vectors import ensure_embeddings

    # In the order of the plan's e-mails; the first is the freshness check's (accounts_file).
    ids = list(db.session.scalars(_generated_profiles().order_by(User.id).offset(1).limit(count)))
    kept = select(Embedding.item_id).where(
        Embedding.kind == ItemKind.PROFILE, Embedding.item_id.in_(ids), Embedding.text_vectors.is_not(None)
    )
    todo = sorted(set(ids) - set(db.session.scalars(kept)))
    if todo:
        db.session.execute(delete(Embedding).where(Embedding.kind == ItemKind.PROFILE, Embedding.item_id.in_(todo)))
        db.session.commit()
        ensure_embeddings(ItemKind.PROFILE, todo)
    return len(todo)


def embed_and_index() -> None:
    from webapp.models import ItemKind
    from webapp.search.indexes import build_fresh, rankable_ids

    for kind in (ItemKind.NEED, ItemKind.PROFILE):
        total = len(rankable_ids(kind))
        started = time.perf_counter()
        live = build_fresh(kind, progress=_progress(kind.value, total))
        seconds = time.perf_counter() - started
        print(f"\n{kind.value}s: {len(live.index)} indexed ({live.index.backend}) in {seconds:.0f} s", flush=True)


def _progress(label: str, total: int):
    done = [0]

    def update(count: int) -> None:
        done[0] += count
        print(f"\r  embedding {label}s {done[0]}/{total}", end="", flush=True)

    return update


def checkin_links() -> list[str]:
    """Opens a check-in round on every active engagement (after adding team members)."""
    from webapp.engagements.checkins import services as checkins
    from webapp.extensions import db
    from webapp.models import CheckinRound, Engagement, EngagementStatus, TeamMember, utcnow

    tokens = []
    engagements = db.session.scalars(select(Engagement).where(Engagement.status == EngagementStatus.ACTIVE)).all()
    for engagement in engagements:
        team = engagement.need.team
        joined = utcnow() - timedelta(days=1)
        team.members.extend(
            TeamMember(
                name=f"Load tester {team.id}-{n}",
                role_title="Analyst",
                created_at=joined,
                email=f"load-tester-{team.id}-{n}@example.com",
            )
            for n in range(len(team.members), CHECKIN_MEMBERS)
        )
        for existing in engagement.checkin_rounds:  # links from the demo's story can't be known
            existing.closes_at = min(existing.closes_at, utcnow() - timedelta(seconds=1))
        db.session.commit()
        leader = engagement.need.created_by
        checkin = checkins.open_round(engagement, actor=leader)
        # The operator's side: the links the members were e-mailed, computed as the app does.
        tokens += [
            checkins.link_token(checkin, member.id)
            for member in checkins.invited_members(engagement, checkin.opened_at)
        ]
    assert db.session.scalar(select(func.count()).select_from(CheckinRound)) > 0
    return tokens


def accounts_file(accounts: dict, tokens: list[str]) -> dict:
    from webapp.extensions import db
    from webapp.models import Need, NeedStatus, User
    from webapp.scope import team_condition

    def open_needs(email: str) -> list[int]:
        """The open needs the leader may act on: those of the teams they lead."""
        leader = db.session.scalar(select(User).where(User.email == email))
        return list(
            db.session.scalars(
                select(Need.id)
                .where(
                    Need.organisation_id == leader.organisation_id,
                    Need.status == NeedStatus.OPEN,
                    team_condition(leader, Need.team_id),
                )
                .order_by(Need.id)
            )
        )

    bulk = list(db.session.scalars(select(User.email).where(User.email.like(f"%@{BULK_DOMAIN}")).order_by(User.id)))
    leaders = [accounts["leader"], accounts["other_leader"]]
    return {
        "leaders": [{**leader, "needs": open_needs(leader["email"])} for leader in leaders],
        "program_manager": accounts["program_manager"],
        "freelancers": {"password": BULK_PASSWORD, "emails": bulk[1:]},
        "freshness": freshness_subjects(leaders[0], open_needs(leaders[0]["email"])[0], bulk[0]),
        "checkin_tokens": tokens,
    }


def hashes_as_configured(plan: dict) -> int:
    """The plan's accounts get their passwords hashed with today's settings (TANDEM_PASSWORD_HASH),
    as their next sign-in would do, so that a run measures sign-ins at the configured cost; the
    generated freelancers share one hash, as the seed made them. Returns the accounts changed."""
    from sqlalchemy import update

    from webapp.auth.passwords import hash_password, needs_rehash
    from webapp.extensions import db
    from webapp.models import User

    changed = 0
    bulk = User.email.like(f"%@{BULK_DOMAIN}")
    sample = db.session.scalar(select(User.password_hash).where(bulk).limit(1))
    if sample is not None and needs_rehash(sample):
        shared = hash_password(BULK_PASSWORD)
        changed = db.session.execute(update(User).where(bulk).values(password_hash=shared)).rowcount
    for account in [*plan["leaders"], plan["program_manager"]]:
        user = db.session.scalar(select(User).where(User.email == account["email"]))
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(account["password"])
            changed += 1
    db.session.commit()
    return changed


def freshness_subjects(leader: dict, need_id: int, freelancer_email: str) -> dict:
    """A leader's need, and a freelancer no simulated user signs in as, who will be edited to
    match that need and back again."""
    from webapp.extensions import db
    from webapp.models import Need, User

    need = db.session.get(Need, need_id)
    freelancer = db.session.scalar(select(User).where(User.email == freelancer_email))
    return {
        "leader": leader,
        "need": need_id,
        "need_title": need.title,
        "need_skills": [skill.label for skill in need.skills][:5],
        "freelancer": {"email": freelancer_email, "password": BULK_PASSWORD, "name": freelancer.name},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="tandem_load")
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    created = create_database(args.database, args.fresh)
    app = app_for(args.database)
    saved = WORK / f"{args.database}-demo-accounts.json"
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # a database prepared by an earlier version gets the newer migrations too
        if created:
            started = time.perf_counter()
            saved.write_text(json.dumps(seed(args.profiles)))
            print(f"seeded the demo and {args.profiles} more freelancers in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            print(
                f"{store_bulk_vectors()} generated profiles given vectors from their skills' real "
                f"embeddings in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        if editors := embed_editors():
            print(f"{editors} profiles the run edits embedded by the real model", flush=True)
        embed_and_index()  # after a reuse: embeds nothing, only loads and saves
        plan = accounts_file(json.loads(saved.read_text()), checkin_links())
        if changed := hashes_as_configured(plan):
            print(f"{changed} accounts' passwords hashed again with TANDEM_PASSWORD_HASH's settings")
    (WORK / "plan.json").write_text(json.dumps(plan))
    print(f"ready: {database_url(args.database)} ({len(plan['checkin_tokens'])} check-in links)")


if __name__ == "__main__":
    main()
