"""The words of engagements (data/stories.yaml): messages, milestones, session notes, artifacts,
check-in comments and outcome reviews. Placeholders: {work}, {skill}, {member}, {first}, {n}, {team}."""

from __future__ import annotations

from ..models import ArtifactKind, SessionKind
from .catalogue import load

_STORIES = load("stories")

INVITATION_MESSAGES = tuple(_STORIES["invitation_messages"])
DECLINE_REASONS = tuple(_STORIES["decline_reasons"])
INTEREST_NOTES = tuple(_STORIES["interest_notes"])
MILESTONES = tuple(_STORIES["milestones"])
KICK_OFF = _STORIES["kick_off"]
SESSION_NOTES = {SessionKind(kind): tuple(notes) for kind, notes in _STORIES["session_notes"].items()}
SESSION_MINUTES = {SessionKind(kind): tuple(minutes) for kind, minutes in _STORIES["session_minutes"].items()}
ARTIFACTS = tuple((ArtifactKind(item["kind"]), item["title"]) for item in _STORIES["artifacts"])
CHECKIN_COMMENTS = {tone: tuple(comments) for tone, comments in _STORIES["checkin_comments"].items()}
LEADER_REVIEWS = {leaning: tuple(reviews) for leaning, reviews in _STORIES["leader_reviews"].items()}
FREELANCER_REVIEWS = tuple(_STORIES["freelancer_reviews"])
CANCEL_REASONS = tuple(_STORIES["cancel_reasons"])
