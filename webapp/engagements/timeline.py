"""Everything that happened in an engagement, newest first: recorded changes, sessions,
check-in rounds and artifacts, told in words. Runs of the same change by the same person (24
final levels set one after another) read as one entry that opens to show each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, Engagement, EngagementSession, User
from .checkins.services import RoundSummary

# These have entries of their own below, so their audit rows would only repeat them.
SHOWN_ELSEWHERE = {"session_logged", "artifact_added", "checkin_opened"}


# What a reader can narrow the timeline to, in the order offered.
KINDS = {
    "plan": "Plan and team",
    "session": "Sessions",
    "checkin": "Check-ins",
    "artifact": "Artifacts",
    "change": "Status, dates, milestones and reviews",
}


@dataclass(frozen=True)
class Entry:
    when: datetime
    kind: str  # one of KINDS
    title: str
    detail: str = ""
    who: str | None = None
    url: str | None = None
    action: str = ""  # the recorded change, for changes
    facts: tuple = ()  # (name, value) pairs of a change, to tell a run of final levels apart
    entries: tuple[Entry, ...] = ()  # the entries a grouped one stands for, newest first

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def first_day(self) -> date:
        return (self.entries[-1] if self.entries else self).when.date()


def timeline(engagement: Engagement, rounds: list[RoundSummary]) -> list[Entry]:
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "engagement", AuditEvent.entity_id == engagement.id)
            .order_by(AuditEvent.id)
        )
    )
    names = _names({event.actor_id for event in events} | {s.logged_by_id for s in engagement.sessions})
    entries = [_change(event, names) for event in events if event.action not in SHOWN_ELSEWHERE]
    entries += [_session(session, names) for session in engagement.sessions]
    entries += [_round(summary) for summary in rounds]
    entries += [
        Entry(a.created_at, "artifact", f"Artifact left behind: {a.title}", a.kind.value, url=a.url)
        for a in engagement.artifacts
    ]
    return grouped(sorted(entries, key=lambda entry: entry.when, reverse=True))


def grouped(entries: list[Entry]) -> list[Entry]:
    """Consecutive changes of one kind by one person become one entry holding them."""
    runs: list[list[Entry]] = []
    for entry in entries:
        previous = runs[-1][-1] if runs else None
        if previous and entry.action and (entry.action, entry.who) == (previous.action, previous.who):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return [run[0] if len(run) == 1 else _group(run) for run in runs]


def _group(run: list[Entry]) -> Entry:
    first = run[0]
    who = first.who or "Tandem"
    count = len(run)
    if first.action == "plan_item_changed" and all({name for name, _ in e.facts} == {"final"} for e in run):
        title = f"{who} set {count} final levels"
    else:
        title = GROUP_TITLES.get(first.action, "{who} made {count} changes").format(who=who, count=count)
    return replace(first, title=title, detail="", entries=tuple(run))


GROUP_TITLES = {
    "plan_item_changed": "{who} changed {count} plan items",
    "plan_item_added": "{who} added {count} plan items",
    "plan_item_removed": "{who} removed {count} plan items",
    "plan_item_proposed": "{who} proposed {count} final levels",
    "team_member_added": "{who} added {count} team members",
    "milestone_added": "{who} added {count} milestones",
    "milestone_changed": "{who} updated {count} milestones",
}


def filtered_timeline(entries: list[Entry], kind: str) -> list[Entry]:
    """The entries of one kind (every entry for an unknown or empty kind)."""
    return [entry for entry in entries if entry.kind == kind] if kind in KINDS else entries


def _names(user_ids: set[int | None]) -> dict[int | None, str]:
    """Each user's name by id; no id (a change Tandem made itself) has none."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}  # noqa: C416 - dict(rows) reads a Result as a mapping (it has keys())


STATUS_TITLES = {
    "active": "Engagement started",
    "completed": "Engagement completed",
    "cancelled": "Engagement cancelled",
}


def _change(event: AuditEvent, names: dict[int | None, str]) -> Entry:
    title, detail = describe(event.action, event.from_state, event.to_state, event.detail or {})
    kind = "plan" if event.action.startswith(("plan_", "team_member")) else "change"
    facts = tuple((name, str(value)) for name, value in (event.detail or {}).items() if name not in {"skill", "member"})
    return Entry(event.created_at, kind, title, detail, names.get(event.actor_id), action=event.action, facts=facts)


def describe(action: str, from_state: str | None, to_state: str | None, detail: dict) -> tuple[str, str]:
    """A recorded change in words: (title, detail)."""
    if action == "proposed":
        return "Engagement proposed", "The freelancer accepted the invitation."
    if action == "status_changed":
        return STATUS_TITLES.get(to_state or "", f"Moved to {to_state}"), detail.get("reason", "")
    if action == "details_changed":
        return "Dates and hours changed", _pairs(detail)
    if action.startswith("plan_item_"):
        verb = {
            "plan_item_added": "added",
            "plan_item_changed": "changed",
            "plan_item_removed": "removed",
            "plan_item_proposed": "final level proposed",
        }[action]
        extra = {k: v for k, v in detail.items() if k not in {"skill", "member"}}
        return f"Plan {verb}: {detail.get('member')} · {detail.get('skill')}", _pairs(extra)
    simple = {
        "plan_filled_from_need": (f"Plan filled from the need's skills ({detail.get('items')} items)", ""),
        "team_member_added": (f"{detail.get('member')} joined the team", ""),
        "milestone_added": (f"Milestone added: {detail.get('title')}", f"due {detail.get('due_date') or '—'}"),
        "milestone_changed": (f"Milestone “{detail.get('title')}” {to_state}", ""),
        "artifact_ownership": (
            f"The team {'took ownership of' if detail.get('team_owned') else 'handed back'} “{detail.get('title')}”",
            "",
        ),
        "checkin_closed": ("Check-in round closed early", ""),
        "followup_opened": (f"Follow-up opened: {detail.get('invited')} team members got a link", ""),
        "followup_opened_early": ("The leader opened the follow-up early", ""),
        "followup_closed": ("Follow-up closed early", ""),
        "followup_level": ("Level assessed at follow-up", f"{detail.get('old') or '—'} → {detail.get('new') or '—'}"),
        "review_written": (f"The {detail.get('by')}'s review was written", ""),
        "outcome_rated": (f"Outcome rated {to_state} of 5", f"before: {from_state}" if from_state else ""),
    }
    return simple.get(action, (action.replace("_", " ").capitalize(), _pairs(detail)))


def _pairs(detail: dict) -> str:
    def shown(value) -> str:
        if isinstance(value, list) and len(value) == 2:
            return f"{value[0] if value[0] is not None else '—'} → {value[1] if value[1] is not None else '—'}"
        return str(value)

    return ", ".join(f"{key.replace('_', ' ')}: {shown(value)}" for key, value in detail.items())


def _session(session: EngagementSession, names: dict[int | None, str]) -> Entry:
    created = session.created_at
    when = created if created.date() == session.held_on else datetime.combine(session.held_on, time.min, UTC)
    skills = sorted({item.skill_label for item in session.plan_items})
    parts = [
        "with " + ", ".join(member.name for member in session.attendees) if session.attendees else "",
        "for " + ", ".join(skills) if skills else "",
        session.notes,
    ]
    title = f"{session.kind.value.capitalize()} session, {session.minutes} minutes"
    return Entry(when, "session", title, " · ".join(part for part in parts if part), names.get(session.logged_by_id))


def _round(summary: RoundSummary) -> Entry:
    title = f"Check-in round: {summary.answered} of {summary.invited} answered"
    if summary.pulse is not None:
        detail = f"connection health {summary.pulse.health:.0f}/100"
    else:
        detail = summary.hidden_because or ""
    return Entry(summary.checkin.opened_at, "checkin", title, detail)
