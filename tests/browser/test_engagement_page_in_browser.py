"""The engagement page read and edited in Chromium: its header's hours, indicators in words,
a failed form's address, final levels set all at once (and row by row without JavaScript), and
a timeline that groups runs of changes and filters by kind."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.actions import settled, sign_in
from tests.factories import engagement_world
from webapp.extensions import db
from webapp.models import EngagementStatus, NeedSkill, TeamMember, TransferPlanItem

pytestmark = pytest.mark.browser
SKILLS = ("prompt design", "reviewing AI drafts", "data checks", "writing evaluations")
TEAM = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fay")


def big_plan():
    """An active engagement of 8 weeks at 12 h/week, with a plan of 4 skills × 6 people."""
    world = engagement_world(status=EngagementStatus.ACTIVE, members=TEAM, skills=SKILLS[:1])
    world.need.hours_per_week, world.need.duration_weeks, world.engagement.agreed_hours = 12, 8, 12
    world.need.skills += [NeedSkill(label=label, importance=2, position=i) for i, label in enumerate(SKILLS[1:], 1)]
    members = db.session.query(TeamMember).filter(TeamMember.team_id == world.need.team_id).all()
    world.engagement.plan_items = [
        TransferPlanItem(skill_label=skill, team_member=member, baseline_level=1, target_level=3)
        for skill in SKILLS
        for member in members
    ]
    db.session.commit()
    return world


def test_all_final_levels_in_one_save_and_a_timeline_that_groups_them(page, screenshot_dir):
    world = big_plan()
    sign_in(page, world.leader.email)
    page.goto(f"/engagements/{world.engagement.id}")
    expect(page.locator("[data-agreed-time]")).to_have_text("12 h/week for 8 weeks (96 h)")
    progress = page.locator("article.indicator").first
    expect(progress).to_contain_text("The team has gained 0 of the 48 skill levels the plan aims for.")
    expect(progress.locator(".formula")).to_be_hidden()  # behind "How this is worked out"
    progress.get_by_text("How this is worked out").click()
    expect(progress.locator(".formula")).to_be_visible()

    grid = page.locator("#plan-grid")
    expect(grid.locator("tbody tr")).to_have_count(6)
    expect(grid.locator("thead th")).to_have_count(5)
    grid.get_by_role("link", name="Set all final levels").click()
    selects = grid.locator("select")
    expect(selects).to_have_count(24)
    for index in range(24):
        selects.nth(index).select_option(str(2 + index % 2))
    page.screenshot(path=screenshot_dir / "engagement-grid-editing.png", full_page=True)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    grid.get_by_role("button", name="Save all final levels").click()
    expect(page.locator("#plan-grid")).to_contain_text("Saved 24 final levels.")
    assert len(posts) == 1
    expect(page.locator('[data-indicator="progress"]')).to_have_text("75%")

    timeline = page.locator("#timeline")
    page.reload()
    group = timeline.locator("details.timeline-group").first
    expect(group.locator("summary")).to_contain_text("Lea Leader set 24 final levels")
    expect(group.locator("ol li")).to_have_count(24)
    expect(group.locator("ol li").first).to_be_hidden()
    group.locator("summary").click()
    expect(group.locator("ol li").first).to_contain_text("Plan changed:")
    timeline.get_by_label("Show").select_option("session")
    expect(timeline).to_contain_text("Nothing of this kind yet.")
    settled(page)
    timeline.get_by_label("Show").select_option("plan")
    expect(timeline.locator("details.timeline-group")).to_have_count(1)
    expect(timeline).not_to_contain_text("Engagement proposed")
    page.screenshot(path=screenshot_dir / "engagement-timeline-grouped.png", full_page=True)


def test_a_failed_form_leaves_an_address_that_opens_the_engagement(page):
    world = big_plan()
    sign_in(page, world.freelancer.email)
    page.goto(f"/engagements/{world.engagement.id}")
    sessions = page.locator("#sessions")
    sessions.get_by_label("Date", exact=True).fill((date.today() + timedelta(days=3)).isoformat())
    sessions.get_by_label("Length (minutes)").fill("60")
    sessions.get_by_role("button", name="Log the session").click()
    expect(page).to_have_url(re.compile(rf"/engagements/{world.engagement.id}/sessions#sessions$"))
    expect(sessions.locator(".error-summary")).to_be_focused()
    expect(sessions.locator(".error-summary")).to_contain_text("Date: A session can't be in the future")
    response = page.goto(page.url.split("#")[0])  # opened again, as from history or a copied address
    assert response.status == 200
    expect(page).to_have_url(re.compile(rf"/engagements/{world.engagement.id}#sessions$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pair with our ops team on AI")


def test_a_row_refused_by_the_server_shows_its_errors_in_place(page):
    world = big_plan()
    sign_in(page, world.leader.email)
    page.goto(f"/engagements/{world.engagement.id}")
    page.locator("details.plan-rows summary").click()
    page.get_by_role("link", name="Edit Ana, prompt design").click()
    row = page.locator("#plan-table tbody tr.editing")
    row.get_by_label("Final").fill("9")
    with page.expect_response(re.compile(r"/plan/\d+$")) as answer:
        row.get_by_role("button", name="Save Ana, prompt design").click()
    assert answer.value.status == 422
    expect(row.locator(".error")).to_contain_text("Levels go from 1 (aware) to 5 (expert).")
    expect(row.get_by_label("Final")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile(rf"/engagements/{world.engagement.id}$"))  # swapped in place


def test_without_javascript_rows_and_the_grid_still_save(watched_context):
    world = big_plan()
    page = watched_context(java_script_enabled=False).new_page()
    sign_in(page, world.leader.email)
    page.goto(f"/engagements/{world.engagement.id}")
    page.locator("details.plan-rows summary").click()
    page.get_by_role("link", name="Edit Ana, prompt design").click()
    row = page.locator("#plan-table tbody tr").filter(has_text="Ana").filter(has_text="prompt design")
    row.get_by_label("Final").fill("3")
    row.get_by_role("button", name="Save Ana, prompt design").click()
    expect(page.locator(".flash-success")).to_contain_text("Saved: Ana · prompt design.")

    page.get_by_role("link", name="Set all final levels").click()
    expect(page).to_have_url(re.compile(r"/plan/final-levels#plan$"))
    page.get_by_label("Final level: Fay, data checks").select_option("2")
    page.get_by_role("button", name="Save all final levels").click()
    expect(page.locator(".flash-success")).to_contain_text("Saved 1 final level.")
    expect(page.locator("#plan-grid tbody tr").filter(has_text="Fay")).to_contain_text("final 2")
    page.locator("#timeline").get_by_label("Show").select_option("plan")
    page.locator("#timeline").get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/timeline\?kind=plan#timeline$"))
    expect(page.locator("#timeline")).to_contain_text("Lea Leader")
    expect(page.locator("#timeline")).not_to_contain_text("Engagement proposed")
    page.get_by_role("link", name="Needs", exact=True).click()
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#needs-table")).to_contain_text("No closed needs.")


def test_the_freelancer_proposes_final_levels_and_the_leader_confirms_them(page, watched_context):
    world = big_plan()
    sign_in(page, world.freelancer.email)
    page.goto(f"/engagements/{world.engagement.id}")
    grid = page.locator("#plan-grid")
    grid.get_by_role("link", name="Propose final levels").click()
    expect(grid.locator("caption")).to_contain_text("the team's leader confirms it")
    grid.get_by_label("Final level: Ana, prompt design").select_option("4")
    grid.get_by_role("button", name="Propose these final levels").click()
    expect(grid).to_contain_text("Proposed 1 final level: the team's leader confirms it.")
    expect(grid).to_contain_text("proposed 4, waiting for the leader")
    expect(page.locator('[data-indicator="progress"]')).to_have_text("0%")  # a proposal is not a level

    leader = watched_context().new_page()
    sign_in(leader, world.leader.email)
    leader.goto(f"/engagements/{world.engagement.id}")
    grid = leader.locator("#plan-grid")
    grid.get_by_role("link", name="Set all final levels").click()
    expect(grid).to_contain_text("proposed 4 by the freelancer")
    expect(grid.get_by_label("Final level: Ana, prompt design")).to_have_value("4")
    grid.get_by_role("button", name="Save all final levels").click()
    expect(grid).to_contain_text("Saved 1 final level.")
    expect(grid).not_to_contain_text("proposed 4")
    expect(leader.locator('[data-indicator="progress"]')).not_to_have_text("0%")
