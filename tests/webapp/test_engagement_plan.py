"""The knowledge-transfer plan: skills × team members, levels on 1-5, edited in place."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.audit import audit_trail
from tests.factories import engagement_world
from webapp.engagements.plan import services as plan
from webapp.engagements.services import EngagementError
from webapp.extensions import db
from webapp.models import EngagementStatus, TeamMember, TransferPlanItem

ACTIVE = EngagementStatus.ACTIVE


def item_count() -> int:
    return db.session.scalar(select(func.count()).select_from(TransferPlanItem))


def test_a_skill_is_added_for_each_chosen_member_and_duplicates_are_skipped(app):
    world = engagement_world()
    ana, ben, chen = world.members
    added, skipped = plan.add_items(
        world.engagement, plan.NewPlanItems("Evaluating AI output", (ana.id, ben.id), 1, 4), actor=world.freelancer
    )
    assert [item.team_member.name for item in added] == ["Ana", "Ben"] and skipped == []
    added, skipped = plan.add_items(
        world.engagement, plan.NewPlanItems("evaluating AI output", (ben.id, chen.id), 2, 3), actor=world.leader
    )
    assert [item.team_member.name for item in added] == ["Chen"] and skipped == ["Ben"]
    assert item_count() == 3
    assert [e[0] for e in audit_trail(world.engagement)].count("plan_item_added") == 3


def test_the_plan_fills_from_the_need_skills_once(app):
    world = engagement_world(skills=("prompt design", "data analytics"))
    assert plan.fill_from_need(world.engagement, actor=world.leader) == 6
    assert plan.fill_from_need(world.engagement, actor=world.freelancer) == 0
    assert {(i.skill_label, i.baseline_level, i.target_level) for i in world.engagement.plan_items} == {
        ("prompt design", 1, 3),
        ("data analytics", 1, 3),
    }


def test_people_outside_the_team_are_refused(app):
    world = engagement_world()
    other = engagement_world()
    with pytest.raises(EngagementError, match="people of the need's team"):
        plan.add_items(
            world.engagement, plan.NewPlanItems("Prompting", (other.members[0].id,), 1, 3), actor=world.leader
        )
    assert item_count() == 0


@pytest.mark.parametrize(
    "levels, message",
    [
        (plan.Levels(0, 3, None), "The baseline level must be between 1 and 5; 0 is off the scale."),
        (plan.Levels(1, 6, None), "The target level must be between 1 and 5; 6 is off the scale."),
        (plan.Levels(1, 3, 7), "The final level must be between 1 and 5; 7 is off the scale."),
        (plan.Levels(4, 2, None), "The target level can't be below the baseline."),
    ],
)
def test_levels_off_the_scale_are_refused_and_nothing_changes(app, levels, message):
    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    with pytest.raises(EngagementError, match=message.replace("(", r"\(")):
        plan.update_levels(world.engagement, item, levels, actor=world.leader)
    db.session.refresh(item)
    assert (item.baseline_level, item.target_level, item.final_level) == (1, 3, None)


def test_final_levels_wait_for_the_engagement_to_start(app):
    world = engagement_world(plan=True)
    with pytest.raises(EngagementError, match=re.escape("Final levels are recorded while the engagement is active.")):
        plan.update_levels(world.engagement, world.engagement.plan_items[0], plan.Levels(1, 3, 3), actor=world.leader)


def test_level_changes_are_recorded_with_before_and_after(app):
    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    plan.update_levels(world.engagement, item, plan.Levels(2, 4, 3), actor=world.leader)
    assert (item.baseline_level, item.target_level, item.final_level) == (2, 4, 3)
    from webapp.models import AuditEvent

    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (
        event.action == "plan_item_changed"
        and event.detail["final"] == [None, 3]
        and event.detail["baseline"] == [1, 2]
    )


def test_a_row_is_edited_in_place_with_htmx(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    auth.sign_in(world.leader.email)
    url = f"/engagements/{world.engagement.id}/plan/{item.id}"
    form = client.get(url + "/edit", headers={"HX-Request": "true"})
    body = form.get_data(as_text=True)
    assert form.status_code == 200 and "<html" not in body and body.lstrip().startswith("<tr")
    assert "HX-Request" in form.headers["Vary"] and f'form="plan-item-form-{item.id}"' in body
    saved = client.post(
        url,
        data={f"item{item.id}-baseline": "2", f"item{item.id}-target": "4", f"item{item.id}-final": "4"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200 and "<html" not in saved.get_data(as_text=True)
    assert '<td data-label="Final">4</td>' in saved.get_data(as_text=True) and item.final_level == 4


def test_a_bad_level_comes_back_in_the_row_with_the_typed_values(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    auth.sign_in(world.leader.email)
    data = {f"item{item.id}-baseline": "2", f"item{item.id}-target": "4", f"item{item.id}-final": "9"}
    fragment = client.post(
        f"/engagements/{world.engagement.id}/plan/{item.id}", data=data, headers={"HX-Request": "true"}
    )
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 422 and "Levels go from 1 (aware) to 5 (expert)." in text and 'value="9"' in text
    assert "<html" not in text
    page = client.post(f"/engagements/{world.engagement.id}/plan/{item.id}", data=data)
    assert page.status_code == 422 and b"<html" in page.data and b"Levels go from 1 (aware) to 5 (expert)." in page.data
    db.session.refresh(item)
    assert (item.baseline_level, item.target_level, item.final_level) == (1, 3, None)


def test_without_javascript_the_row_edits_as_a_plain_form(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}/plan/{item.id}/edit")
    assert page.status_code == 200 and b"<html" in page.data and f'id="plan-item-form-{item.id}"'.encode() in page.data
    saved = client.post(
        f"/engagements/{world.engagement.id}/plan/{item.id}",
        data={f"item{item.id}-baseline": "1", f"item{item.id}-target": "3", f"item{item.id}-final": "2"},
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#plan-item-{item.id}")
    assert item.final_level == 2


def test_the_add_form_keeps_what_was_typed_when_refused(client, auth, app):
    world = engagement_world()
    auth.sign_in(world.leader.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/plan",
        data={
            "plan-skill": "Reviewing AI drafts",
            "plan-baseline": "4",
            "plan-target": "2",
            "plan-team_member_ids": [str(world.members[0].id)],
        },
    )
    assert response.status_code == 422 and b"The target can&#39;t be below the baseline." in response.data
    assert b'value="Reviewing AI drafts"' in response.data and item_count() == 0
    response = client.post(
        f"/engagements/{world.engagement.id}/plan",
        data={"plan-skill": "Reviewing AI drafts", "plan-baseline": "1", "plan-target": "3"},
    )
    assert response.status_code == 422 and b"Choose at least one team member." in response.data


def test_the_add_forms_skill_field_asks_the_taxonomy_for_suggestions_and_says_when_it_is_wrong(client, auth, app):
    world = engagement_world()
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    [skill_input] = re.findall(r'<input[^>]*id="plan-skill"[^>]*>', page)
    for attribute in ('hx-get="/skills/suggest"', 'hx-target="#plan-skill-options"', 'hx-params="plan-skill"'):
        assert attribute in skill_input
    refused = client.post(f"/engagements/{world.engagement.id}/plan", data={"plan-skill": ""}).get_data(as_text=True)
    [skill_input] = re.findall(r'<input[^>]*id="plan-skill"[^>]*>', refused)
    assert 'aria-invalid="true"' in skill_input and 'hx-target="#plan-skill-options"' in skill_input


def test_items_served_by_a_session_stay(app):
    from datetime import date

    from webapp.engagements.activity import services as activity
    from webapp.models import SessionKind

    world = engagement_world(status=ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    activity.log_session(
        world.engagement,
        activity.NewSession(SessionKind.PAIRING, date.today(), 60, plan_item_ids=(item.id,)),
        actor=world.freelancer,
    )
    with pytest.raises(EngagementError, match="Sessions served this plan item"):
        plan.remove_item(world.engagement, item, actor=world.leader)
    plan.remove_item(world.engagement, world.engagement.plan_items[1], actor=world.leader)
    assert item_count() == 2


def test_a_team_member_is_added_from_the_engagement_page(client, auth, app):
    world = engagement_world()
    auth.sign_in(world.leader.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/team-members",
        data={"member-name": "Dara", "member-role_title": "Support lead"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(TeamMember).where(TeamMember.name == "Dara")).team_id == world.need.team_id
    again = client.post(f"/engagements/{world.engagement.id}/team-members", data={"member-name": "dara"})
    assert again.status_code == 422 and b"dara is already a member of Operations." in again.data
    assert db.session.scalar(select(func.count()).select_from(TeamMember)) == 4


def test_the_leader_owns_the_roster_and_the_final_levels(app):
    from webapp.engagements.plan import services as plan_service
    from webapp.engagements.services import EngagementError
    from webapp.models import EngagementStatus

    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    with pytest.raises(EngagementError, match="leader keeps the roster"):
        plan_service.add_team_member(world.engagement, plan_service.NewTeamMember("Puppet"), actor=world.freelancer)
    assert plan_service.update_levels(world.engagement, item, plan_service.Levels(1, 3, 5), actor=world.freelancer)
    assert item.final_level is None and item.proposed_final_level == 5  # proposed, not recorded
    plan_service.update_levels(world.engagement, item, plan_service.Levels(1, 4, None), actor=world.freelancer)
    assert item.target_level == 4 and item.proposed_final_level == 5  # the plan itself both shape
    plan_service.update_levels(world.engagement, item, plan_service.Levels(1, 4, None), actor=world.leader)
    assert item.proposed_final_level == 5  # a row saved without touching the final level leaves the proposal
    assert not plan_service.update_levels(world.engagement, item, plan_service.Levels(1, 4, 4), actor=world.leader)
    plan_service.add_team_member(world.engagement, plan_service.NewTeamMember("Dara"), actor=world.leader)
    assert item.final_level == 4 and item.proposed_final_level is None
    assert "Dara" in [m.name for m in plan_service.team_members(world.engagement)]


def test_the_freelancer_proposes_final_levels_and_the_leader_confirms_them(app, client, auth):
    from webapp.engagements.plan import services as plan_service
    from webapp.models import EngagementStatus

    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    first, second = world.engagement.plan_items[:2]
    assert plan_service.set_final_levels(world.engagement, {first.id: 4, second.id: 3}, actor=world.freelancer) == 2
    assert (first.final_level, first.proposed_final_level, second.proposed_final_level) == (None, 4, 3)
    assert [row[0] for row in audit_trail(world.engagement)][-2:] == ["plan_item_proposed"] * 2
    with pytest.raises(EngagementError, match="9 is off the scale"):
        plan_service.set_final_levels(world.engagement, {first.id: 9}, actor=world.freelancer)
    assert first.proposed_final_level == 4

    auth.sign_in(world.leader.email)
    grid = client.get(f"/engagements/{world.engagement.id}/plan/final-levels").get_data(as_text=True)
    assert "proposed 4 by the freelancer" in grid
    assert '<option value="4" selected>' in grid.split(f'name="final-{first.id}"')[1].split("</select>")[0]
    response = client.post(
        f"/engagements/{world.engagement.id}/plan/final-levels",
        data={f"final-{first.id}": "4", f"final-{second.id}": "2"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (first.final_level, first.proposed_final_level) == (4, None)
    assert (second.final_level, second.proposed_final_level) == (2, None)


def test_a_proposal_is_said_to_the_freelancer_as_a_proposal(app, client, auth):
    from webapp.models import EngagementStatus

    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    item = world.engagement.plan_items[0]
    auth.sign_in(world.freelancer.email)
    page = client.get(f"/engagements/{world.engagement.id}/plan/final-levels").get_data(as_text=True)
    assert "Propose the final level each person reached" in page and "Propose these final levels" in page
    response = client.post(
        f"/engagements/{world.engagement.id}/plan/final-levels", data={f"final-{item.id}": "5"}, follow_redirects=True
    )
    assert "Proposed 1 final level: the team&#39;s leader confirms it." in response.get_data(as_text=True)
    assert "proposed 5, waiting for the leader" in response.get_data(as_text=True)
