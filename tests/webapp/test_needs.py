"""Leaders post, edit and move needs; bad input is refused with everything kept."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import AuditEvent, Need, NeedStatus, Role, Skill


def need_form(org, **overrides) -> dict:
    data = {
        "title": "Help support agents work with an AI assistant",
        "description": "Our support team answers 2,000 tickets a week and wants AI drafting that agents trust.",
        "team_id": str(org.teams[0].id),
        "goal_id": str(org.goals[0].id),
        "intent": "augment",
        "skills-0-skill": "Coaching techniques",
        "skills-0-weight": "3",
        "skills-1-skill": "xyzzy frobnication",
        "skills-1-weight": "1",
        "learning_goals": "By the end agents review and correct AI drafts on their own.",
        "duration_weeks": "8",
        "hours_per_week": "10",
        "budget_min": "80",
        "budget_max": "120",
        "timezone": "Europe/Berlin",
        "remote": "y",
        "internal_notes": "Budget approved by finance.",
    }
    return data | overrides


def signed_in_leader(auth, org=None):
    org = org or factories.organisation()
    leader = factories.user(Role.LEADER, org, email=f"leader{org.id}@example.org")
    db.session.add(
        Skill(uri="http://data.europa.eu/esco/skill/coach", label="coaching techniques", alt_labels=["coaching"])
    )
    db.session.commit()
    auth.sign_in(leader.email)
    return org, leader


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
    other = factories.organisation()
    db.session.commit()
    response = client.post("/needs/new", data=need_form(org, team_id=str(other.teams[0].id)))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_status_moves_are_recorded_and_illegal_ones_refused(client, auth):
    org, leader = signed_in_leader(auth)
    need = factories.need(org, leader)
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
    owner_org = factories.organisation()
    owner = factories.user(Role.LEADER, owner_org)
    need = factories.need(owner_org, owner)
    profile = factories.freelancer()
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
    from webapp.models import Interest, InvitationStatus, ShortlistEntry, Visibility

    org = factories.organisation()
    leader = factories.user(Role.LEADER, org, email="counts@example.org")
    need = factories.need(org, leader, title="Counted need")
    seen = factories.freelancer(headline="Public coach")
    unseen = [
        factories.freelancer(headline="Hidden coach", visibility=Visibility.HIDDEN),
        factories.freelancer(headline="Choosy coach", visibility=Visibility.INVITING_ORGANISATIONS),
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
