"""Leaders post, edit and move needs; bad input is refused with everything kept."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories
from tests.factories.needs import need_form, signed_in_leader
from webapp.extensions import db
from webapp.models import AuditEvent, Need, NeedStatus


def test_leader_posts_a_need_with_normalised_and_free_text_skills(client, auth):
    org, _ = signed_in_leader(auth)
    response = client.post("/needs/new", data=need_form(org))
    assert response.status_code == 302
    need = db.session.scalar(select(Need))
    labels = {s.label: s.skill_id is not None for s in need.skills}
    assert labels == {"coaching techniques": True, "xyzzy frobnication": False}
    page = client.get(response.location, follow_redirects=True)
    assert b"free text" in page.data and b"Budget approved by finance" in page.data


def test_budget_min_above_max_and_bad_numbers_keep_what_was_typed(client, auth):
    org, _ = signed_in_leader(auth)
    response = client.post("/needs/new", data=need_form(org, budget_min="150", budget_max="100", hours_per_week="abc"))
    assert response.status_code == 422
    assert b"at least the lower one" in response.data and b"Not a valid integer value" in response.data
    assert b"Help support agents work with an AI assistant" in response.data and b"xyzzy frobnication" in response.data
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_missing_and_over_long_fields_are_refused(client, auth):
    org, _ = signed_in_leader(auth)
    response = client.post("/needs/new", data=need_form(org, title="", description="x" * 5001, timezone="Mars/Base"))
    assert response.status_code == 422
    assert b"This field is required" in response.data and b"Unknown time zone" in response.data
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_another_organisations_team_cannot_be_used_by_crafted_post(client, auth):
    org, _ = signed_in_leader(auth)
    other = factories.OrganisationFactory()
    db.session.commit()
    response = client.post("/needs/new", data=need_form(org, team_id=str(other.teams[0].id)))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_status_moves_are_recorded_and_illegal_ones_refused(client, auth):
    org, leader = signed_in_leader(auth)
    need = factories.NeedFactory(organisation=org, created_by=leader)
    db.session.commit()
    client.post(f"/needs/{need.id}/status", data={"status": "paused"})
    client.post(f"/needs/{need.id}/status", data={"status": "closed"})
    page = client.post(f"/needs/{need.id}/status", data={"status": "open"}, follow_redirects=True)
    assert b"can&#39;t be moved to open" in page.data
    db.session.refresh(need)
    assert need.status is NeedStatus.CLOSED
    moves = db.session.scalars(select(AuditEvent.to_state).where(AuditEvent.action == "status_changed")).all()
    assert moves == ["paused", "closed"]


def test_other_organisations_leader_gets_404_everywhere(client, auth):
    owner_org = factories.OrganisationFactory()
    owner = factories.UserFactory(leader=True, organisation=owner_org)
    need = factories.NeedFactory(organisation=owner_org, created_by=owner)
    profile = factories.ProfileFactory()
    db.session.commit()
    signed_in_leader(auth)
    for url in (
        f"/needs/{need.id}",
        f"/needs/{need.id}/edit",
        f"/needs/{need.id}/matches",
        f"/needs/{need.id}/compare",
        f"/needs/{need.id}/invitations",
        f"/needs/{need.id}/invite/{profile.id}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/needs/{need.id}/status",
        f"/needs/{need.id}/shortlist/{profile.id}",
        f"/needs/{need.id}/invite/{profile.id}",
    ):
        assert client.post(url, data={"status": "closed", "message": "hi"}).status_code == 404, url
    db.session.refresh(need)
    assert need.status is NeedStatus.OPEN


def test_edit_keeps_skills_and_updates_text(client, auth):
    org, leader = signed_in_leader(auth)
    client.post("/needs/new", data=need_form(org))
    need = db.session.scalar(select(Need))
    form = client.get(f"/needs/{need.id}/edit")
    assert b"coaching techniques" in form.data and b"Budget approved" in form.data
    response = client.post(f"/needs/{need.id}/edit", data=need_form(org, title="A sharper title"))
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.title == "A sharper title" and len(need.skills) == 2


def test_the_needs_list_counts_only_freelancers_the_leader_may_see(client, auth):
    from webapp.models import Interest, InvitationStatus, ShortlistEntry

    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email="counts@example.org")
    need = factories.NeedFactory(organisation=org, created_by=leader, title="Counted need")
    seen = factories.ProfileFactory(headline="Public coach")
    unseen = [
        factories.ProfileFactory(headline="Hidden coach", hidden=True),
        factories.ProfileFactory(headline="Choosy coach", inviting_only=True),
    ]
    for profile in (seen, *unseen):
        db.session.add_all(
            [
                Interest(need_id=need.id, profile_id=profile.id),
                ShortlistEntry(need_id=need.id, profile_id=profile.id, added_by_id=leader.id),
            ]
        )
    db.session.commit()
    from webapp.needs.services import needs_with_counts

    [summary] = needs_with_counts(leader)
    assert (summary.interested, summary.shortlisted, summary.invited) == (1, 1, 0)
    assert InvitationStatus.SENT  # imported for the reader: invitations are counted the same way
