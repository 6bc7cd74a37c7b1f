"""`flask demo seed`: plenty of varied, realistic data in one transaction, and accounts that work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from webapp.auth.passwords import weakness
from webapp.auth.services import authenticate
from webapp.demo import plot
from webapp.demo.catalogue import DATA, load
from webapp.demo.esco_uris import URIS
from webapp.demo.seed import database_has_users, seed_demo
from webapp.demo.skills import AI_TRANSFORMATION_SKILLS, SkillBook, SkillRef, all_curated_labels
from webapp.extensions import db
from webapp.models import (
    AiStance,
    AuditEvent,
    CheckinInvite,
    CheckinResponse,
    CheckinRound,
    Engagement,
    EngagementSession,
    EngagementStatus,
    FreelancerProfile,
    Intent,
    Interest,
    Invitation,
    InvitationStatus,
    Need,
    NeedSkill,
    NeedStatus,
    Organisation,
    ProfileSkill,
    ShortlistEntry,
    Skill,
    TeamMember,
    User,
)

# A handful of real ESCO skills, standing in for `flask taxonomy import`.
TAXONOMY = {
    "machine learning": "http://data.europa.eu/esco/skill/demo-machine-learning",
    "customer service": "http://data.europa.eu/esco/skill/demo-customer-service",
    "coaching techniques": "http://data.europa.eu/esco/skill/demo-coaching-techniques",
    "natural language processing": "http://data.europa.eu/esco/skill/demo-nlp",
    "data analytics": "http://data.europa.eu/esco/skill/demo-data-analytics",
}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def all_of(column) -> list:
    return list(db.session.scalars(select(column)))


def seed_with_taxonomy(**sizes) -> dict:
    db.session.add_all(Skill(uri=uri, label=label) for label, uri in TAXONOMY.items())
    db.session.commit()
    return {account.role: account for account in seed_demo(**sizes)}


@pytest.fixture
def seeded(app):
    """The demo at full size."""
    return seed_with_taxonomy()


@pytest.fixture
def small(app):
    """A smaller demo, for what does not depend on size: still every engagement state."""
    return seed_with_taxonomy(profiles=40, needs=12)


def test_demo_has_hundreds_of_profiles_and_dozens_of_needs(seeded):
    assert count(FreelancerProfile) >= 200
    assert count(Need) >= 30
    assert count(Organisation) == 2
    statuses = dict(db.session.execute(select(Need.status, func.count()).group_by(Need.status)).all())
    assert statuses[NeedStatus.OPEN] > sum(statuses.values()) / 2
    assert {NeedStatus.DRAFT, NeedStatus.PAUSED, NeedStatus.CLOSED} <= set(statuses)
    assert all(3 <= len(need.skills) <= 6 for need in db.session.scalars(select(Need)))
    assert count(TeamMember) >= 30


def test_demo_texts_are_filled_in_and_distinct(seeded):
    for column in (
        FreelancerProfile.headline,
        FreelancerProfile.bio,
        FreelancerProfile.ai_usage,
        Need.title,
        Need.description,
        Need.learning_goals,
        Need.internal_notes,
    ):
        values = all_of(column)
        assert all(value.strip() for value in values), column
        assert "lorem" not in " ".join(values).lower()
    for column in (FreelancerProfile.bio, FreelancerProfile.ai_usage, Need.description, Need.title):
        values = all_of(column)
        assert len(set(values)) >= 0.95 * len(values), column
    emails = all_of(User.email)
    assert len(set(emails)) == len(emails)
    assert all(need.learning_goals.startswith("By the end the team can") for need in db.session.scalars(select(Need)))


def test_demo_headlines_and_bios_read_like_many_people_not_one_template(seeded):
    headlines = all_of(FreelancerProfile.headline)
    assert len(set(headlines)) >= 0.85 * len(headlines)
    assert max(headlines.count(h) for h in set(headlines)) <= 3
    assert sum(" — " in h for h in headlines) < 0.3 * len(headlines)  # not one "Role — focus" shape
    openings = [bio.split()[0] for bio in all_of(FreelancerProfile.bio)]
    assert max(openings.count(word) for word in set(openings)) < 0.35 * len(openings)


def test_demo_uses_ai_transformation_skills_in_plain_words(seeded):
    labels = set(all_of(ProfileSkill.label)) | set(all_of(NeedSkill.label))
    assert {"prompt and context design", "AI literacy training", "retrieval-augmented generation"} <= labels
    assert set(AI_TRANSFORMATION_SKILLS) & set(all_of(NeedSkill.label))


def test_the_demo_words_live_in_data_files():
    assert {path.stem for path in DATA.glob("*.yaml")} >= {
        "organisations",
        "domains",
        "needs",
        "people",
        "profiles",
        "skills",
        "stories",
    }
    assert all(load(path.stem) for path in DATA.glob("*.yaml"))


def test_demo_shows_both_augmenting_and_automating(seeded):
    stances = set(all_of(FreelancerProfile.ai_stance))
    intents = set(all_of(Need.intent))
    assert {AiStance.AUGMENT, AiStance.AUTOMATE} <= stances
    assert {Intent.AUGMENT, Intent.AUTOMATE} <= intents
    for profile in db.session.scalars(select(FreelancerProfile)):
        usage = profile.ai_usage.lower()
        if profile.ai_stance is AiStance.AUGMENT:
            assert any(word in usage for word in ("pair", "coach", "workshop", "human in the loop", "decide")), usage
        elif profile.ai_stance is AiStance.AUTOMATE:
            assert any(word in usage for word in ("automat", "straight-through", "manual", "unattended")), usage


def test_demo_skills_point_at_the_taxonomy_where_it_knows_them(small):
    ids = dict(db.session.execute(select(Skill.label, Skill.id)).all())
    known = db.session.scalars(select(ProfileSkill).where(ProfileSkill.label.in_(list(TAXONOMY)))).all()
    assert known and all(skill.skill_id == ids[skill.label] for skill in known)
    assert count(NeedSkill, NeedSkill.skill_id.is_not(None)) > 0
    assert count(ProfileSkill, ProfileSkill.skill_id.is_(None)) > 0  # the rest stays free text


def test_skill_book_resolves_by_uri_then_preferred_then_alternative_label(app):
    db.session.add_all(
        [
            Skill(uri=URIS["machine learning"], label="machine learning unsupervised"),  # a mis-split label
            Skill(
                uri="http://data.europa.eu/esco/skill/demo-sheets",
                label="use spreadsheets software",
                alt_labels=["spreadsheets"],
            ),
        ]
    )
    db.session.commit()
    ids = dict(db.session.execute(select(Skill.uri, Skill.id)).all())
    book = SkillBook.load({"machine learning", "Use spreadsheets software", "spreadsheets", "juggling"})
    assert book.ref("machine learning") == SkillRef("machine learning", ids[URIS["machine learning"]])
    sheets = SkillRef("use spreadsheets software", ids["http://data.europa.eu/esco/skill/demo-sheets"])
    assert book.ref("use spreadsheets software") == sheets and book.ref("spreadsheets") == sheets
    assert book.ref("juggling") == SkillRef("juggling", None)


def test_every_curated_skill_has_its_esco_uri():
    assert all_curated_labels() <= set(URIS)


def test_demo_has_engagements_in_every_state_grown_from_accepted_invitations(small):
    engagements = db.session.scalars(select(Engagement)).all()
    assert {e.status for e in engagements} == set(EngagementStatus)
    for engagement in engagements:
        invitation = db.session.get(Invitation, engagement.invitation_id)
        assert invitation.status is InvitationStatus.ACCEPTED
        assert invitation.need_id == engagement.need_id and invitation.profile_id == engagement.profile_id
        assert engagement.milestones and engagement.plan_items
        trail = db.session.scalars(
            select(AuditEvent.to_state).where(
                AuditEvent.entity_type == "engagement", AuditEvent.entity_id == engagement.id
            )
        )
        assert engagement.status.value in set(trail)
        if engagement.status is EngagementStatus.COMPLETED:
            assert engagement.outcome_rating and len(engagement.reviews) == 2
            assert all(item.final_level is not None for item in engagement.plan_items)
    assert {InvitationStatus.SENT, InvitationStatus.DECLINED} <= set(all_of(Invitation.status))


def test_demo_sessions_and_checkins_are_in_the_past_and_consistent(small):
    sessions = db.session.scalars(select(EngagementSession)).all()
    today = datetime.now(UTC).date()
    assert sessions and all(s.held_on < today and s.attendees and s.notes for s in sessions)
    for checkin in db.session.scalars(select(CheckinRound)):
        used = count(CheckinInvite, CheckinInvite.round_id == checkin.id, CheckinInvite.used.is_(True))
        assert used == count(CheckinResponse, CheckinResponse.round_id == checkin.id)
    hashes = all_of(CheckinInvite.token_hash)
    assert hashes and len(set(hashes)) == len(hashes) and all(len(h) == 64 for h in hashes)
    answers = db.session.scalars(select(CheckinResponse)).all()
    assert answers and all(1 <= a.safety_mistakes <= 5 and 1 <= a.workload <= 5 for a in answers)


def test_demo_story_never_happens_in_the_future_or_out_of_order(small):
    now = datetime.now(UTC)
    for column in (
        Need.created_at,
        Invitation.created_at,
        Interest.created_at,
        ShortlistEntry.created_at,
        AuditEvent.created_at,
    ):
        assert all(moment <= now for moment in all_of(column)), column
    for invitation in db.session.scalars(select(Invitation)):
        assert invitation.created_at > invitation.need.created_at


def test_demo_accounts_sign_in_and_the_freelancer_has_work(small):
    assert {"leader", "program_manager", "freelancer"} <= set(small)
    for account in small.values():
        assert weakness(account.password, email=account.email) is None
        assert authenticate(account.email, account.password) is not None
    freelancer = db.session.scalar(select(User).where(User.email == small["freelancer"].email))
    profile = db.session.scalar(select(FreelancerProfile).where(FreelancerProfile.user_id == freelancer.id))
    assert count(Invitation, Invitation.profile_id == profile.id, Invitation.status == InvitationStatus.SENT) >= 1
    assert count(Engagement, Engagement.profile_id == profile.id, Engagement.status == EngagementStatus.ACTIVE) == 1


def test_cli_seeds_once_and_if_empty_leaves_a_seeded_database_alone(app, runner):
    assert not database_has_users()
    result = runner.invoke(args=["demo", "seed", "--profiles", "25", "--needs", "10"])
    assert result.exit_code == 0, result.output
    assert "sofia.marchetti@example.net" in result.output
    users = count(User)
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert again.exit_code == 0 and "not seeded" in again.output
    assert result.output.splitlines()[-1] in again.output  # the accounts, shown again
    assert count(User) == users and database_has_users()
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code == 1 and "already" in refused.output and count(User) == users


def test_seed_works_without_a_taxonomy_and_is_the_same_each_time(app):
    from tests.isolation import empty_all_tables

    seed_demo(profiles=25, needs=10)
    first = (sorted(all_of(Need.description)), sorted(all_of(FreelancerProfile.bio)))
    assert count(ProfileSkill) and count(ProfileSkill, ProfileSkill.skill_id.is_not(None)) == 0
    empty_all_tables(db)
    seed_demo(profiles=25, needs=10)
    assert (sorted(all_of(Need.description)), sorted(all_of(FreelancerProfile.bio))) == first


def test_a_failure_half_way_leaves_nothing_behind(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plot, "build_engagement", broken)
    with pytest.raises(RuntimeError):
        seed_demo(profiles=25, needs=10)
    assert count(User) == 0 and count(Need) == 0 and count(Organisation) == 0


def test_demo_seeds_completed_engagements_with_follow_ups(seeded):
    from webapp.freelancers.records import records_for
    from webapp.models import FollowupRating, FollowupRound, TransferPlanItem

    assert count(FollowupRound) >= 3
    assert count(TransferPlanItem, TransferPlanItem.followup_level.is_not(None)) >= 6
    assert count(FollowupRating) >= 9
    with_record = [r for r in records_for(all_of(FreelancerProfile.id)).values() if r.engagements]
    assert with_record and any(r.kept is not None for r in with_record)
