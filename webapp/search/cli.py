"""`flask index rebuild|status`."""

from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup

from ..models import ItemKind
from . import indexes
from .engine import occupation_bridge

index_cli = AppGroup("index", help="The FAISS indexes (derived from stored vectors).")


@index_cli.command("rebuild")
def rebuild() -> None:
    """Embed what changed, build fresh indexes from stored vectors and save them."""
    bridge = occupation_bridge()
    if bridge is not None and not bridge.cache_path.exists():
        click.echo(
            f"Encoding {len(bridge.occupations):,} ESCO occupations once (a minute or two); "
            f"kept in {bridge.cache_path.parent}"
        )
        _ = bridge.vectors  # reading the property encodes them, and keeps them in the cache
    for kind in (ItemKind.PROFILE, ItemKind.NEED):
        total = len(indexes.rankable_ids(kind))
        started = time.perf_counter()
        # Drawn on a terminal only; a log gets the summary line below.
        with click.progressbar(length=total, label=f"{kind.value}s") as bar:
            live = indexes.build_fresh(kind, progress=bar.update)
        seconds = time.perf_counter() - started
        rate = total / seconds if seconds > 0 else 0.0
        click.echo(
            f"{kind.value} index: {len(live.index)} items in {seconds:.1f} s "
            f"({rate:.0f} items/s), change seq {live.applied_seq}"
        )


@index_cli.command("status")
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """What is embedded, what is saved, and how far behind the saved files are."""
    report = indexes.status()
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"model {report['model']}, latest change seq {report['latest_change_seq']}")
    for kind in ItemKind:
        entry = report[kind.value]
        saved = (
            entry.get("saved") or f"{entry['saved_count']} items ({entry['saved_kind']}) at seq {entry['saved_seq']}"
        )
        click.echo(f"{kind.value}s: {entry['rankable']} rankable, {entry['embedded']} embedded; saved: {saved}")
