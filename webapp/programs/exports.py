"""The engagement table for other tools: one record per engagement (the JSON API's), and the
same records as CSV. Pure: the caller passes how to make an engagement's URL."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from .outcomes import EngagementOutcome

API_VERSION = 1
# A spreadsheet runs a cell starting with one of these as a formula (tab and CR hide the sign).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "need",
    "team",
    "goal",
    "intent",
    "freelancer",
    "status",
    "start_date",
    "end_date",
    "knowledge_transfer_percent",
    "levels_closed",
    "levels_gap",
    "connection_health",
    "health_change",
    "outcome_rating",
    "at_risk",
    "risk_reasons",
    "url",
)


def _rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def record_of(outcome: EngagementOutcome, url: str) -> dict:
    """The engagement as the API shows it (version 1)."""
    f, progress, trend = outcome.facts, outcome.progress, outcome.trend
    return {
        "id": f.id,
        "url": url,
        "need": {"id": f.need_id, "title": f.need_title},
        "team": {"id": f.team_id, "name": f.team},
        "goal": None if f.goal_id is None else {"id": f.goal_id, "title": f.goal},
        "intent": f.intent,
        "freelancer": f.freelancer,
        "status": f.status,
        "start_date": f.start_date.isoformat() if f.start_date else None,
        "end_date": f.end_date.isoformat() if f.end_date else None,
        "knowledge_transfer": {
            "share": _rounded(progress.share, 3),
            "levels_closed": progress.closed,
            "levels_gap": progress.gap,
            "items_assessed": progress.assessed,
            "items": progress.items,
        },
        "connection_health": {
            "last": _rounded(trend.last),
            "previous": _rounded(trend.previous),
            "change": _rounded(trend.change),
        },
        "outcome_rating": f.outcome_rating,
        "at_risk": outcome.at_risk,
        "risk_reasons": list(outcome.risks),
    }


def records(outcomes: list[EngagementOutcome], url_of: Callable[[int], str]) -> list[dict]:
    return [record_of(outcome, url_of(outcome.facts.id)) for outcome in outcomes]


def _csv_row(record: dict) -> dict:
    """The record flattened to the CSV's columns (CSV_COLUMNS gives their order)."""
    share = record["knowledge_transfer"]["share"]
    return {
        "id": record["id"],
        "need": record["need"]["title"],
        "team": record["team"]["name"],
        "goal": record["goal"]["title"] if record["goal"] else "",
        "intent": record["intent"],
        "freelancer": record["freelancer"],
        "status": record["status"],
        "start_date": record["start_date"] or "",
        "end_date": record["end_date"] or "",
        "knowledge_transfer_percent": "" if share is None else round(share * 100),
        "levels_closed": record["knowledge_transfer"]["levels_closed"],
        "levels_gap": record["knowledge_transfer"]["levels_gap"],
        "connection_health": _blank(record["connection_health"]["last"]),
        "health_change": _blank(record["connection_health"]["change"]),
        "outcome_rating": _blank(record["outcome_rating"]),
        "at_risk": "yes" if record["at_risk"] else "no",
        "risk_reasons": " | ".join(record["risk_reasons"]),
        "url": record["url"],
    }


def _blank(value):
    return "" if value is None else value


def neutralised(cell):
    """Text that a spreadsheet would run as a formula, made inert with a leading quote. Numbers
    are written by us, never typed by people, and stay numbers (a negative change reads -12.0)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_text(rows: list[dict]) -> str:
    """The records as CSV: a header, then one line per engagement."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for record in rows:
        writer.writerow({column: neutralised(cell) for column, cell in _csv_row(record).items()})
    return out.getvalue()
