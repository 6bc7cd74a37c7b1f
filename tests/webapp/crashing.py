"""A Tandem process that stops at a chosen moment, for a test to SIGKILL it there.

    python -m tests.webapp.crashing rebuild [--pause-at embedding|manifest] --marker PATH
    python -m tests.webapp.crashing save-profile ID HEADLINE SKILL... [--pause-at commit|indexing] --marker PATH
    python -m tests.webapp.crashing rank NEED_ID K

At the pause the process writes PATH and sleeps: the moment is reached, the work is not done.
`rank` prints what this process's index answers for the need, as JSON."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def pause_after(owner, name: str, marker: Path, *, call: int = 1, flush: bool = False) -> None:
    """After the `call`-th call of owner.name: flush (a transaction with writes in flight), then stop."""
    real, calls = getattr(owner, name), []

    def paused(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == call:
            _stop_here(marker, flush)
        return result

    setattr(owner, name, paused)


def pause_before(owner, name: str, marker: Path, *, when=lambda *args: True, flush: bool = False) -> None:
    real = getattr(owner, name)

    def paused(*args, **kwargs):
        if when(*args):
            _stop_here(marker, flush)
        return real(*args, **kwargs)

    setattr(owner, name, paused)


def _stop_here(marker: Path, flush: bool) -> None:
    if flush:
        from webapp.extensions import db

        db.session.flush()
    marker.write_text("paused")
    time.sleep(3600)


def rebuild(args) -> None:
    from flask.cli import FlaskGroup

    import matching.index
    from webapp import create_app
    from webapp.search import vectors

    if args.pause_at == "embedding":  # the second batch embedded, not yet committed
        pause_after(vectors, "_embed_stale", args.marker, call=2, flush=True)
    elif args.pause_at == "manifest":  # new data files written, the manifest not yet replaced
        pause_before(
            matching.index.os, "replace", args.marker, when=lambda source, target: str(target).endswith("manifest.json")
        )
    FlaskGroup(create_app=create_app).main(["index", "rebuild"], standalone_mode=False)


def save_profile(args) -> None:
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import FreelancerProfile
    from webapp.profiles import services
    from webapp.search import indexes

    app = create_app()
    with app.test_request_context():
        profile = db.session.get(FreelancerProfile, args.profile_id)
        if args.pause_at == "commit":  # every change flushed, the transaction still open
            pause_before(db.session, "commit", args.marker, flush=True)
        elif args.pause_at == "indexing":  # committed; the new version neither embedded nor indexed
            pause_before(indexes, "apply_changes_now", args.marker)
        data = services.ProfileInput(
            headline=args.headline,
            bio=profile.bio or "",
            skills=[(skill, 4) for skill in args.skills],
            ai_stance=profile.ai_stance,
            ai_usage=profile.ai_usage or "",
            hourly_rate=profile.hourly_rate,
            weekly_hours=profile.weekly_hours,
            timezone=profile.timezone,
            visibility=profile.visibility,
        )
        services.save_profile(profile, data, actor=profile.user)


def rank(args) -> None:
    from webapp import create_app
    from webapp.models import ItemKind
    from webapp.search.indexes import live_index, stored_vector

    with create_app().app_context():
        index = live_index(ItemKind.PROFILE)
        hits = index.search(stored_vector(ItemKind.NEED, args.need_id), args.k)
        print(json.dumps({"count": len(index), "hits": [[item_id, score] for item_id, score in hits]}))


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("rebuild", "save-profile"):
        command = commands.add_parser(name)
        command.add_argument("--pause-at")
        command.add_argument("--marker", type=Path)
    commands.choices["save-profile"].add_argument("profile_id", type=int)
    commands.choices["save-profile"].add_argument("headline")
    commands.choices["save-profile"].add_argument("skills", nargs="+")
    ranking = commands.add_parser("rank")
    ranking.add_argument("need_id", type=int)
    ranking.add_argument("k", type=int)
    args = parser.parse_args()
    {"rebuild": rebuild, "save-profile": save_profile, "rank": rank}[args.command](args)


if __name__ == "__main__":
    main()
