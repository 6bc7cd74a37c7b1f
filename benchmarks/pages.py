"""Server time of Tandem's heaviest pages on the configured database (run after `make run`
has seeded the demo): `python -m benchmarks.pages [--runs 30]`.

Requests go through the full Flask stack in-process (routing, auth, services, ranking,
templates), after one warm-up request per page so the model and the indexes are loaded.
The need's own detail page is measured in the same run as a baseline."""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import select

from webapp import create_app
from webapp.extensions import db, login_manager
from webapp.models import Need, NeedStatus, Role, User


def timings(client, url: str, runs: int, headers: dict | None = None) -> list[float]:
    client.get(url, headers=headers)  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--needs", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        leader = db.session.scalar(select(User).where(User.role == Role.LEADER).order_by(User.id))
        if leader is None:
            raise SystemExit("No leader in this database: seed the demo first (`make run` or `flask demo seed`).")
        needs = db.session.scalars(
            select(Need.id)
            .where(Need.organisation_id == leader.organisation_id, Need.status == NeedStatus.OPEN)
            .order_by(Need.id)
            .limit(args.needs)
        ).all()
    login_manager.session_protection = None  # the test client has no stable client identity
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = leader.get_id()
        session["_fresh"] = True
    print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for label, pattern in (
        ("need detail (baseline)", "/needs/{}"),
        ("match page", "/needs/{}/matches"),
        ("match page, filtered", "/needs/{}/matches?max_rate=120&min_augmentation=0.4"),
    ):
        samples = [t for need_id in needs for t in timings(client, pattern.format(need_id), args.runs)]
        print(f"{label:<34} {statistics.median(samples):>8.1f} {percentile(samples, 0.95):>8.1f}")


if __name__ == "__main__":
    main()
