"""After completion: one review each from the leader and the freelancer, and the program
manager's outcome rating. Nothing else changes once an engagement is completed."""

from __future__ import annotations

from flask import abort
from sqlalchemy.exc import IntegrityError

from ..audit import record
from ..extensions import db
from ..models import Engagement, EngagementStatus, OutcomeReview, ReviewerRole, User
from .services import Capacity, EngagementError, WrongStage, capacity_of, require_party

REVIEWER_ROLE = {Capacity.LEADER: ReviewerRole.LEADER, Capacity.FREELANCER: ReviewerRole.FREELANCER}


def _require_completed(engagement: Engagement, doing: str) -> None:
    if engagement.status is not EngagementStatus.COMPLETED:
        raise WrongStage(f"{doing} once the engagement is completed; it is {engagement.status.value}.")


def review_of(engagement: Engagement, capacity: Capacity) -> OutcomeReview | None:
    role = REVIEWER_ROLE.get(capacity)
    return next((review for review in engagement.reviews if review.reviewer_role is role), None)


def write_review(engagement: Engagement, text: str, *, actor: User) -> OutcomeReview:
    """The actor's one review; a second one is refused and the first stays as written."""
    capacity = require_party(engagement, actor)
    _require_completed(engagement, "Reviews are written")
    if review_of(engagement, capacity) is not None:
        raise WrongStage("You already wrote your review: it is part of the record.")
    review = OutcomeReview(engagement=engagement, reviewer_role=REVIEWER_ROLE[capacity], author_id=actor.id, text=text)
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:  # the same review sent twice at once
        db.session.rollback()
        raise WrongStage("You already wrote your review: it is part of the record.") from None
    record(actor, "engagement", engagement.id, "review_written", by=REVIEWER_ROLE[capacity].value)
    db.session.commit()
    return review


def rate_outcome(engagement: Engagement, rating: int, *, actor: User) -> None:
    """A program manager's 1-5 rating of how much stronger the team came out."""
    capacity = capacity_of(actor, engagement)
    if capacity is None:
        abort(404)
    if capacity is not Capacity.PROGRAM_MANAGER:
        abort(403)
    _require_completed(engagement, "The outcome is rated")
    if not 1 <= rating <= 5:
        raise EngagementError("Rate the outcome from 1 to 5.")
    if engagement.outcome_rating == rating:
        return
    old, engagement.outcome_rating = engagement.outcome_rating, rating
    record(actor, "engagement", engagement.id, "outcome_rated", from_state=_text(old), to_state=str(rating))
    db.session.commit()


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)
