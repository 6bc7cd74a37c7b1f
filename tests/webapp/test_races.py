"""Two requests at once: the database decides, and people get a friendly answer or the same
result as one request. The thread tests run on PostgreSQL, where requests really overlap."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories import engagement_world
from webapp.engagements.checkins import services as checkins
from webapp.extensions import db
from webapp.invitations import services as invitations
from webapp.models import (
    CheckinRound,
    Engagement,
    EngagementStatus,
    Interest,
    Invitation,
    InvitationStatus,
    NeedStatus,
    Role,
    ShortlistEntry,
    User,
)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def at_once(app, *actions):
    """Runs the actions in threads (each with its own app context and session), started together;
    returns what each returned or raised."""
    barrier, results = threading.Barrier(len(actions)), [None] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                barrier.wait()
                results[index] = action()
            except Exception as error:  # any failure is reported to the test
                results[index] = error
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


# Each thread has its own app context, session and connection: they see only committed writes.
in_threads = pytest.mark.commits


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("overlapping transactions are a PostgreSQL matter (SQLite runs one writer at a time)")


def market():
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email=f"lead{org.id}@example.org")
    need = factories.NeedFactory(organisation=org, created_by=leader)
    profile = factories.ProfileFactory()
    db.session.commit()
    return leader.id, need.id, profile.id


def invite(leader_id, need_id, profile_id):
    from webapp.models import FreelancerProfile, Need

    leader, need, profile = (
        db.session.get(User, leader_id),
        db.session.get(Need, need_id),
        db.session.get(FreelancerProfile, profile_id),
    )
    return invitations.invite(need, profile, "Join us", actor=leader)


@in_threads
def test_two_invitations_at_once_leave_one(app, postgres_only, monkeypatch):
    leader, need, profile = market()
    seen = threading.Barrier(2)
    real = invitations.invitations_of_need

    def slow_read(need_row):  # both requests read "no invitation yet" before either writes
        rows = real(need_row)
        seen.wait(10)
        return rows

    monkeypatch.setattr(invitations, "invitations_of_need", slow_read)
    results = at_once(app, lambda: invite(leader, need, profile), lambda: invite(leader, need, profile))
    assert sum(isinstance(r, Invitation) for r in results) == 1
    assert any(isinstance(r, invitations.InvitationError) and "open invitation" in str(r) for r in results)
    assert count(Invitation, Invitation.need_id == need) == 1


@in_threads
def test_accept_and_withdraw_at_once_never_leave_an_engagement_of_a_withdrawn_invitation(app, postgres_only):
    for _ in range(5):
        leader_id, need_id, profile_id = market()
        invitation_id = invite(leader_id, need_id, profile_id).id
        db.session.remove()

        def accept():
            invitation = db.session.get(Invitation, invitation_id)
            return invitations.accept(invitation, actor=invitation.profile.user)

        def withdraw():
            return invitations.withdraw(
                db.session.get(Invitation, invitation_id), actor=db.session.get(User, leader_id)
            )

        results = at_once(app, accept, withdraw)
        assert sum(isinstance(r, invitations.InvitationError) for r in results) == 1
        status = db.session.scalar(select(Invitation.status).where(Invitation.id == invitation_id))
        engagements = count(Engagement, Engagement.invitation_id == invitation_id)
        assert (status, engagements) in {(InvitationStatus.ACCEPTED, 1), (InvitationStatus.WITHDRAWN, 0)}


@in_threads
def test_a_need_closing_while_an_invitation_is_accepted_gains_no_engagement_after_it_closed(app, postgres_only):
    from webapp.models import Need
    from webapp.needs.services import change_status

    for _ in range(5):
        leader_id, need_id, profile_id = market()
        invitation_id = invite(leader_id, need_id, profile_id).id
        db.session.remove()

        def accept():
            invitation = db.session.get(Invitation, invitation_id)
            return invitations.accept(invitation, actor=invitation.profile.user)

        def close():
            return change_status(
                db.session.get(Need, need_id), NeedStatus.CLOSED, actor=db.session.get(User, leader_id)
            )

        at_once(app, accept, close)
        status = db.session.scalar(select(Invitation.status).where(Invitation.id == invitation_id))
        engagements = count(Engagement, Engagement.invitation_id == invitation_id)
        assert (status, engagements) in {(InvitationStatus.ACCEPTED, 1), (InvitationStatus.WITHDRAWN, 0)}
        assert db.session.scalar(select(Need.status).where(Need.id == need_id)) is NeedStatus.CLOSED


@in_threads
def test_two_check_in_rounds_opened_at_once_leave_one(app, postgres_only):
    world = engagement_world(status=EngagementStatus.ACTIVE)
    engagement_id, leader_id = world.engagement.id, world.leader.id
    db.session.remove()

    def open_round():
        return checkins.open_round(db.session.get(Engagement, engagement_id), actor=db.session.get(User, leader_id))

    results = at_once(app, open_round, open_round)
    assert sum(isinstance(r, CheckinRound) for r in results) == 1
    assert sum(isinstance(r, checkins.WrongStage) for r in results) == 1
    assert count(CheckinRound, CheckinRound.engagement_id == engagement_id) == 1


def test_a_closed_need_cannot_gain_an_engagement(app):
    from webapp.models import Need
    from webapp.needs.services import change_status

    leader_id, need_id, profile_id = market()
    invitation = invite(leader_id, need_id, profile_id)
    db.session.execute(Need.__table__.update().where(Need.id == need_id).values(status=NeedStatus.CLOSED))
    db.session.commit()  # closed behind the app's back: the acceptance itself must check
    with pytest.raises(invitations.InvitationError):
        invitations.accept(invitation, actor=invitation.profile.user)
    assert count(Engagement) == 0
    leader_id, need_id, profile_id = market()
    invitation = invite(leader_id, need_id, profile_id)
    change_status(db.session.get(Need, need_id), NeedStatus.CLOSED, actor=db.session.get(User, leader_id))
    assert db.session.get(Invitation, invitation.id).status is InvitationStatus.WITHDRAWN


def test_double_clicks_on_shortlist_and_interest_are_the_same_as_one(client, auth, monkeypatch):
    leader_id, need_id, profile_id = market()
    leader = db.session.get(User, leader_id)
    monkeypatch.setattr(invitations, "shortlisted_ids", lambda need: set())  # the second click saw no entry yet
    auth.sign_in(leader.email)
    assert [client.post(f"/needs/{need_id}/shortlist/{profile_id}").status_code for _ in range(2)] == [302, 302]
    assert count(ShortlistEntry) == 1
    auth.sign_out()
    monkeypatch.setattr("webapp.profiles.services.interested_need_ids", lambda profile: set())
    freelancer = db.session.scalar(select(User).where(User.role == Role.FREELANCER))
    auth.sign_in(freelancer.email)
    answers = [client.post(f"/opportunities/{need_id}/interest", data={"note": "Keen"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302] and count(Interest) == 1


def pending_links(*emails: str) -> list[str]:
    from tests import outbox
    from webapp.auth import sign_ups

    for email in emails:
        sign_ups.sign_up(sign_ups.NewAccount("Ada", email, "a long enough passphrase", Role.FREELANCER))
    return [outbox.SIGN_UP_LINK.search(message.body).group(1) for message in outbox.messages()]


def both_read_first(monkeypatch, name: str) -> None:
    """Both confirmations read what `name` reads before either writes."""
    from webapp.auth import sign_ups

    seen, real = threading.Barrier(2), getattr(sign_ups, name)

    def slow_read(*args):
        found = real(*args)
        seen.wait(10)
        return found

    monkeypatch.setattr(sign_ups, name, slow_read)


@in_threads
def test_one_confirmation_link_used_twice_at_once_makes_one_account(app, postgres_only, monkeypatch):
    from webapp.auth import sign_ups

    [token] = pending_links("ada@example.org")
    both_read_first(monkeypatch, "pending_sign_up")
    results = at_once(app, lambda: sign_ups.confirm(token).id, lambda: sign_ups.confirm(token).id)
    assert sorted(type(result).__name__ for result in results) == ["LinkGone", "int"]
    assert count(User, User.email == "ada@example.org") == 1


@in_threads
def test_two_links_of_one_address_confirmed_at_once_make_one_account(app, postgres_only, monkeypatch):
    from webapp.auth import sign_ups

    first, second = pending_links("ada@example.org", "ADA@example.org")
    both_read_first(monkeypatch, "find_user_by_email")
    results = at_once(app, lambda: sign_ups.confirm(first).id, lambda: sign_ups.confirm(second).id)
    assert sorted(type(result).__name__ for result in results) in (["AlreadyAnAccount", "int"], ["LinkGone", "int"])
    assert count(User, User.email == "ada@example.org") == 1
