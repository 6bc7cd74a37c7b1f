"""The services behind #15's pages, below the browser: final levels in one commit, the grouped
timeline, agreed time in words, what's new and menu counts, profile completeness, drafts and
the leader's list, and a failed form's address."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories import engagement_world
from tests.factories.needs import need_form, signed_in_leader
from webapp.engagements.overview import agreed_time
from webapp.engagements.plan import services as plan
from webapp.engagements.services import EngagementError
from webapp.engagements.timeline import Entry, filtered_timeline, grouped
from webapp.extensions import db
from webapp.home import news
from webapp.invitations import services as invitations
from webapp.models import AuditEvent, EngagementStatus, Need, NeedStatus, utcnow
from webapp.needs import services as needs
from webapp.profiles.completeness import completeness

ACTIVE = EngagementStatus.ACTIVE


def plan_changes() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "plan_item_changed")
    )


def test_all_final_levels_are_saved_in_one_go_each_change_recorded(app):
    world = engagement_world(status=ACTIVE, plan=True)
    items = world.engagement.plan_items
    changed = plan.set_final_levels(
        world.engagement, {items[0].id: 3, items[1].id: 2, items[2].id: None}, actor=world.leader
    )
    assert changed == 2 and [i.final_level for i in items] == [3, 2, None] and plan_changes() == 2
    assert plan.set_final_levels(world.engagement, {items[0].id: 3}, actor=world.leader) == 0


def test_one_level_off_the_scale_changes_none(app):
    world = engagement_world(status=ACTIVE, plan=True)
    items = world.engagement.plan_items
    with pytest.raises(EngagementError, match="off the scale"):
        plan.set_final_levels(world.engagement, {items[0].id: 3, items[1].id: 7}, actor=world.leader)
    db.session.rollback()
    assert all(item.final_level is None for item in items) and plan_changes() == 0


def test_final_levels_are_for_the_parties_of_an_active_engagement(app, client, auth):
    world = engagement_world(plan=True)  # proposed
    item = world.engagement.plan_items[0]
    with pytest.raises(EngagementError, match="while the engagement is active"):
        plan.set_final_levels(world.engagement, {item.id: 3}, actor=world.leader)
    auth.sign_in(world.manager.email)
    response = client.post(f"/engagements/{world.engagement.id}/plan/final-levels", data={f"final-{item.id}": "3"})
    assert response.status_code == 403 and item.final_level is None


def test_a_crafted_level_comes_back_as_the_grid_with_the_problem(app, client, auth):
    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    auth.sign_in(world.leader.email)
    response = client.post(f"/engagements/{world.engagement.id}/plan/final-levels", data={f"final-{item.id}": "9"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in body and 'id="final-levels-form"' in body
    fragment = client.post(
        f"/engagements/{world.engagement.id}/plan/final-levels",
        headers={"HX-Request": "true"},
        data={f"final-{item.id}": "2"},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert 'hx-swap-oob="true"' in fragment.get_data(as_text=True) and item.final_level == 2


def entry(minute: int, action: str, who: str, **facts) -> Entry:
    return Entry(
        utcnow() - timedelta(minutes=minute),
        "plan",
        f"{action} {minute}",
        who=who,
        action=action,
        facts=tuple(facts.items()),
    )


def test_runs_of_one_change_by_one_person_are_grouped():
    entries = [
        entry(1, "plan_item_changed", "Lea", final="3"),
        entry(2, "plan_item_changed", "Lea", final="2"),
        entry(3, "plan_item_changed", "Fred", final="2"),
        entry(4, "plan_item_changed", "Lea", target="4"),
        entry(5, "plan_item_changed", "Lea", final="1"),
        entry(6, "team_member_added", "Lea"),
    ]
    shown = grouped(entries)
    assert [e.title for e in shown] == [
        "Lea set 2 final levels",
        "plan_item_changed 3",
        "Lea changed 2 plan items",
        "team_member_added 6",
    ]
    assert len(shown[0].entries) == 2 and shown[0].first_day == entries[1].when.date()
    assert filtered_timeline(shown, "session") == [] and filtered_timeline(shown, "nonsense") == shown


def test_agreed_time_reads_as_weekly_hours_over_the_weeks(app):
    world = engagement_world()
    world.engagement.agreed_hours, world.need.duration_weeks = 12, 8
    assert agreed_time(world.engagement) == "12 h/week for 8 weeks (96 h)"
    world.engagement.start_date, world.engagement.end_date = date(2026, 3, 2), date(2026, 3, 15)
    assert agreed_time(world.engagement) == "12 h/week for 2 weeks (24 h)"
    world.engagement.agreed_hours = None
    assert agreed_time(world.engagement) is None


def test_whats_new_counts_since_the_previous_sign_in(app):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org)
    need = factories.NeedFactory(organisation=org, created_by=leader)
    coach = factories.ProfileFactory()
    invitation = invitations.invite(need, coach, "Join us", actor=leader)
    assert news.menu_counts(coach.user) == {"engagements.index": 0, "profiles.my_invitations": 1}
    assert [item.text for item in news.whats_new(coach.user).items] == ["1 invitation waits for your answer (1 new)"]
    invitations.accept(invitation, actor=coach.user)
    texts = [item.text for item in news.whats_new(leader).items]
    assert texts == ["1 invitation accepted", "1 proposed engagement waits for an agreed plan"]
    leader.previous_login_at = utcnow()  # signed in since: nothing is new any more, what waits still does
    db.session.commit()
    assert [item.text for item in news.whats_new(leader).items] == ["1 proposed engagement waits for an agreed plan"]


def test_signing_in_keeps_the_sign_in_before(app, client, auth):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email="lead@example.org")
    db.session.commit()
    auth.sign_in("lead@example.org")
    first = leader.last_login_at
    auth.sign_out()
    auth.sign_in("lead@example.org")
    db.session.refresh(leader)
    assert leader.previous_login_at == first and leader.last_login_at > first


def test_completeness_says_what_is_missing_and_when_needs_can_be_ranked(app):
    empty = factories.ProfileFactory(headline="", skill_labels=())
    assert not completeness(empty).enough_to_rank and completeness(empty).share == 0
    full = factories.ProfileFactory(
        skill_labels=("a", "b", "c"),
        bio="Bio",
        ai_usage="I pair.",
        hourly_rate=90,
        weekly_hours=20,
        timezone="Europe/Berlin",
    )
    assert completeness(full).enough_to_rank and completeness(full).missing == []


def test_a_draft_stays_with_the_organisation_until_it_is_opened(app, client, auth):
    org, leader = signed_in_leader(auth)
    client.post("/needs/new", data=need_form(org, save="draft"))
    draft = db.session.scalars(select(Need)).one()
    assert draft.status is NeedStatus.DRAFT
    listing = needs.need_list(leader, status=NeedStatus.DRAFT)
    assert [s.need for s in listing.summaries] == [draft] and listing.by_status[NeedStatus.DRAFT] == 1
    auth.sign_out()
    auth.sign_in(factories.ProfileFactory().user.email)
    assert client.get(f"/opportunities/{draft.id}").status_code == 404
    auth.sign_out()
    auth.sign_in(leader.email)
    client.post(f"/needs/{draft.id}/edit", data=need_form(org, save="open"))
    assert draft.status is NeedStatus.OPEN
    assert db.session.scalars(select(AuditEvent.to_state).where(AuditEvent.action == "status_changed")).all() == [
        "open"
    ]


def test_the_leaders_list_sorts_and_filters(app):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org)
    for title, status in (("Beta", NeedStatus.OPEN), ("Alpha", NeedStatus.CLOSED), ("Gamma", NeedStatus.OPEN)):
        factories.NeedFactory(organisation=org, created_by=leader, title=title, status=status)
    db.session.commit()
    assert [s.need.title for s in needs.need_list(leader, sort="title").summaries] == ["Alpha", "Beta", "Gamma"]
    assert [s.need.title for s in needs.need_list(leader, status=NeedStatus.OPEN, sort="title").summaries] == [
        "Beta",
        "Gamma",
    ]
    assert needs.need_list(leader, sort="nonsense").sort == "newest"


@pytest.mark.parametrize(
    "address, section",
    [
        ("sessions", "sessions"),
        ("team-members", "team"),
        ("milestones", "details"),
        ("rating", "reviews"),
        ("checkins", "checkins"),
        ("plan", "plan"),
    ],
)
def test_a_forms_address_opened_again_leads_to_the_engagement(app, client, auth, address, section):
    world = engagement_world()
    auth.sign_in(world.manager.email)
    response = client.get(f"/engagements/{world.engagement.id}/{address}")
    assert response.status_code == 302 and response.location == f"/engagements/{world.engagement.id}#{section}"
