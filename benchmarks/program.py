"""Server time of the outcomes dashboard on a seeded benchmark program (1,000 engagements by
default, with plans, sessions and check-ins): `python -m benchmarks.program [--runs 20]`.

The program is written into a scratch database, a temporary SQLite file unless
`--database-url` names an empty one (PostgreSQL, say), so the demo is never touched. Requests
go through the full Flask stack in-process, as in `benchmarks/pages.py`; the figures are printed,
not asserted."""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks.pages import percentile, timings
from webapp import create_app
from webapp.extensions import db, login_manager
from webapp.models import (
    CheckinResponse,
    CheckinRound,
    CompanyGoal,
    Engagement,
    EngagementSession,
    EngagementStatus,
    FreelancerProfile,
    Intent,
    Need,
    Organisation,
    Role,
    SessionKind,
    Team,
    TeamMember,
    TransferPlanItem,
    User,
)
from webapp.models.engagements import session_plan_items

SEED = 5_000
TEAMS, GOALS, MEMBERS = 20, 8, 6
SKILLS = ("prompt design", "data analytics", "workflow redesign", "evaluation of AI output", "process mapping")
STATUSES = (
    [EngagementStatus.COMPLETED] * 40
    + [EngagementStatus.ACTIVE] * 35
    + [EngagementStatus.PROPOSED] * 15
    + [EngagementStatus.CANCELLED] * 10
)
PAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("dashboard", "/program", {}),
    ("dashboard, filtered and sorted", "/program?status=active&intent=augment&sort=health&dir=asc", {}),
    ("dashboard, htmx fragment", "/program?sort=progress", {"HX-Request": "true"}),
    ("dashboard, page 20", "/program?page=20", {}),
    ("CSV export", "/program/engagements.csv", {}),
    ("JSON API", "/api/v1/program/engagements", {}),
)


def seed_program(engagements: int, today: date) -> User:
    """Writes one organisation's program in bulk and returns its program manager."""
    rng = random.Random(SEED)
    db.session.execute(insert(Organisation), [{"id": 1, "name": "Benchmark Organisation"}])
    db.session.execute(
        insert(Team), [{"id": t, "organisation_id": 1, "name": f"Team {t:02d}"} for t in range(1, TEAMS + 1)]
    )
    db.session.execute(
        insert(CompanyGoal), [{"id": g, "organisation_id": 1, "title": f"Goal {g}"} for g in range(1, GOALS + 1)]
    )
    db.session.execute(
        insert(TeamMember),
        [
            {"id": (t - 1) * MEMBERS + m, "team_id": t, "name": f"Member {t}-{m}"}
            for t in range(1, TEAMS + 1)
            for m in range(1, MEMBERS + 1)
        ],
    )
    staff = [_user(1, Role.PROGRAM_MANAGER, 1), _user(2, Role.LEADER, 1)]
    db.session.execute(insert(User), staff + [_user(10 + i, Role.FREELANCER, None) for i in range(engagements)])
    db.session.execute(
        insert(FreelancerProfile),
        [
            {"id": i + 1, "user_id": 10 + i, "headline": "AI coach", "augmentation_focus": rng.random()}
            for i in range(engagements)
        ],
    )
    rows = _engagement_rows(rng, engagements, today)
    for model, values in zip((Need, Engagement), rows):
        db.session.execute(insert(model), values)
    _activity(rng, rows[1], today)
    db.session.commit()
    return db.session.get_one(User, 1)


def _user(user_id: int, role: Role, org: int | None) -> dict:
    return {
        "id": user_id,
        "email": f"bench{user_id}@example.org",
        "name": f"Person {user_id}",
        "role": role,
        "password_hash": "-",
        "session_token": f"token{user_id}",
        "organisation_id": org,
    }


def _engagement_rows(rng: random.Random, count: int, today: date) -> tuple[list[dict], list[dict]]:
    needs, engagements = [], []
    for i in range(1, count + 1):
        status = rng.choice(STATUSES)
        start = today - timedelta(days=rng.randint(20, 540))
        end: date | None = start + timedelta(days=rng.choice((42, 56, 84)))
        if status is EngagementStatus.PROPOSED:
            start, end = today + timedelta(days=rng.randint(3, 30)), None
        elif status is EngagementStatus.ACTIVE:
            start = today - timedelta(days=rng.randint(10, 60))
            end = start + timedelta(days=rng.choice((42, 56, 84)))
        needs.append(
            {
                "id": i,
                "organisation_id": 1,
                "team_id": rng.randint(1, TEAMS),
                "created_by_id": 2,
                "goal_id": rng.choice([None] + list(range(1, GOALS + 1))),
                "title": f"Need {i}",
                "description": "Benchmark need.",
                "intent": rng.choice(list(Intent)),
            }
        )
        engagements.append(
            {
                "id": i,
                "need_id": i,
                "profile_id": i,
                "status": status,
                "start_date": start,
                "end_date": end,
                "outcome_rating": rng.randint(2, 5)
                if status is EngagementStatus.COMPLETED and rng.random() < 0.8
                else None,
                "created_at": _at(start - timedelta(days=7)),
            }
        )
    return needs, engagements


def _activity(rng: random.Random, engagements: list[dict], today: date) -> None:
    teams = dict(db.session.execute(select(Need.id, Need.team_id)).all())
    items: list[dict] = []
    sessions: list[dict] = []
    links: list[dict] = []
    rounds: list[dict] = []
    responses: list[dict] = []
    for row in engagements:
        members = [(teams[row["need_id"]] - 1) * MEMBERS + m for m in range(1, 4)]
        done = row["status"] is EngagementStatus.COMPLETED
        own = []
        for skill in rng.sample(SKILLS, 3):
            for member in members:
                baseline = rng.randint(1, 3)
                target = min(5, baseline + rng.randint(1, 2))
                own.append(
                    {
                        "id": len(items) + 1,
                        "engagement_id": row["id"],
                        "skill_label": skill,
                        "team_member_id": member,
                        "baseline_level": baseline,
                        "target_level": target,
                        "final_level": max(baseline, target + rng.choice((-1, 0, 0, 1))) if done else None,
                    }
                )
                items.append(own[-1])
        if row["status"] is EngagementStatus.PROPOSED:
            continue
        last = min(row["end_date"], today - timedelta(days=1))
        span = max(1, (last - row["start_date"]).days)
        for offset in sorted(rng.sample(range(span), min(span, 8))):
            sessions.append(
                {
                    "id": len(sessions) + 1,
                    "engagement_id": row["id"],
                    "kind": SessionKind.PAIRING,
                    "held_on": row["start_date"] + timedelta(days=offset),
                    "minutes": 60,
                }
            )
            links += [{"session_id": len(sessions), "plan_item_id": item["id"]} for item in rng.sample(own, 2)]
        for opened in range(7, span, 14):
            rounds.append(
                {
                    "id": len(rounds) + 1,
                    "engagement_id": row["id"],
                    "opened_at": _at(row["start_date"] + timedelta(days=opened)),
                    "closes_at": _at(row["start_date"] + timedelta(days=opened + 5)),
                }
            )
            responses += [_answer(rng, len(rounds)) for _ in range(rng.randint(2, 6))]
    for model, values in (
        (TransferPlanItem, items),
        (EngagementSession, sessions),
        (CheckinRound, rounds),
        (CheckinResponse, responses),
    ):
        db.session.execute(insert(model), values)
    db.session.execute(insert(session_plan_items), links)


def _answer(rng: random.Random, round_id: int) -> dict:
    score = {
        name: rng.randint(1, 5)
        for name in (
            "safety_mistakes",
            "safety_risks",
            "safety_asking",
            "peer_trust",
            "collaboration",
            "goal_clarity",
            "workload",
        )
    }
    return {"id": uuid.UUID(int=rng.getrandbits(128), version=4), "round_id": round_id, **score}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engagements", type=int, default=1000)
    parser.add_argument("--database-url", help="an empty database to seed (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
                "TANDEM_EMBEDDER": "fake",
                "TANDEM_INDEX_DIR": str(Path(scratch) / "index"),
            }
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            if db.session.scalar(select(User.id).limit(1)) is not None:
                raise SystemExit("The benchmark needs an empty database: this one has users.")
            manager = seed_program(args.engagements, date.today())
            session_id = manager.get_id()
            db.session.remove()
        login_manager.session_protection = None  # the test client has no stable client identity
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        print(f"{args.engagements} engagements on {url.split(':', 1)[0]}, {args.runs} runs each")
        print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8}")
        for label, url_path, headers in PAGES:
            samples = timings(client, url_path, args.runs, headers)
            print(f"{label:<34} {statistics.median(samples):>8.1f} {percentile(samples, 0.95):>8.1f}")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
