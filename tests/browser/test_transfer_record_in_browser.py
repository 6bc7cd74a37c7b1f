"""Follow-ups, transfer records, team-gap matching and the exposure report, in Chromium: a team
member answers the follow-up from their e-mail, the leader records assessed levels, the record
shows on the profile and the card, the program manager reads the exposure report, and a leader
switches the team gap off for a need."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests import factories, outbox
from tests.browser.actions import sign_in, sign_out
from tests.factories import engagement_world
from webapp.extensions import db
from webapp.freelancers import records
from webapp.models import Engagement, EngagementStatus, TransferPlanItem, utcnow

pytestmark = pytest.mark.browser
COMPLETED = EngagementStatus.COMPLETED


def completed_engagement():
    world = engagement_world(status=COMPLETED, plan=True)
    world.engagement.completed_at = utcnow() - timedelta(days=95)
    for item in world.engagement.plan_items:
        item.final_level = 3
    db.session.commit()
    return world


def test_team_answers_the_follow_up_and_the_leader_records_what_was_kept(
    page, watched_context, live_server, screenshot_dir
):
    world = completed_engagement()
    sign_in(page, world.leader.email)
    page.goto(f"/engagements/{world.engagement.id}")
    followup = page.locator("#followup")
    followup.get_by_role("button", name="Open the follow-up now").click()
    expect(page.locator(".flash")).to_contain_text("Follow-up open: 3 team members")
    tokens = list(outbox.followup_tokens().values())
    assert len(tokens) == 3 and not any(token in page.content() for token in tokens)  # the leader never sees a link
    links = [f"{live_server}/followup/{token}" for token in tokens]

    team = watched_context()
    for index, link in enumerate(links):
        member = team.new_page()
        member.goto(link)
        expect(member.locator(".followup-about")).to_contain_text(world.need.title)
        member.get_by_role("button", name="Send my ratings").click()  # nothing picked: the form says so
        expect(member.locator(".error-summary")).to_be_visible()
        member.get_by_label("2 · beginner").check()
        if index == 0:
            member.screenshot(path=screenshot_dir / "followup-answer.png", full_page=True)
        member.get_by_role("button", name="Send my ratings").click()
        expect(member.get_by_role("heading", level=1)).to_have_text("Thank you")
        member.close()
    again = team.new_page()
    again.goto(links[0])
    again.get_by_label("5 · expert").check()
    again.get_by_role("button", name="Send my ratings").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("These answers were not saved")
    forged = team.new_page()
    assert forged.goto(f"{live_server}/followup/{'A' * 43}").status == 404
    expect(forged.get_by_role("heading", level=1)).to_have_text("This check-in link can't be used")
    team.close()

    page.reload()
    expect(followup).to_contain_text("3 of 3 answered")
    expect(followup).to_contain_text("Self-ratings appear when the follow-up closes")
    followup.get_by_role("button", name="Close the follow-up now").click()
    expect(page.locator("[data-self-ratings]")).to_contain_text("prompt design")
    for item in world.engagement.plan_items:
        page.locator(f"#assessed-{item.id}").select_option("2")
    page.get_by_role("button", name="Save assessed levels").click()
    expect(page.locator(".flash")).to_contain_text("Saved 3 assessed levels.")
    kept = page.locator("#capability-kept")
    expect(kept.locator("[data-indicator=kept]")).to_have_text("50%")
    expect(kept.locator(".formula")).to_be_hidden()
    kept.get_by_text("How this is worked out").click()
    expect(kept.locator(".formula")).to_be_visible()
    page.screenshot(path=screenshot_dir / "followup-leader.png", full_page=True)


def with_record(n: int = 2):
    """A freelancer with n + 1 completed engagements elsewhere (the world's own and n more), and a
    leader of another organisation whose need they fit."""
    elsewhere = engagement_world(status=COMPLETED, plan=True)
    member = elsewhere.members[0]
    for _ in range(n):
        engagement = Engagement(
            need=elsewhere.need,
            profile=elsewhere.profile,
            status=COMPLETED,
            outcome_rating=5,
            completed_at=utcnow() - timedelta(days=120),
        )
        engagement.plan_items = [
            TransferPlanItem(
                skill_label="prompt design",
                team_member=member,
                baseline_level=1,
                target_level=3,
                final_level=3,
                followup_level=3,
            )
        ]
        db.session.add(engagement)
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email=f"lead{org.id}@example.org", name="Lena Leader")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Coach our team in prompt design",
        skill_labels=("prompt design",),
        learning_goals="Write and review prompts ourselves",
    )
    db.session.commit()
    records.forget_prior()
    return elsewhere, leader, need


def test_record_shows_on_the_card_and_profile_and_to_its_freelancer(page, screenshot_dir):
    elsewhere, leader, need = with_record()
    sign_in(page, leader.email)
    page.goto(f"/needs/{need.id}/matches")
    card = page.locator(f"#candidate-{elsewhere.profile.id}")
    expect(card).to_contain_text("Track record: 3 engagements; teams kept most of what they learned")
    card.get_by_text("Details of the score").click()
    expect(card.locator(".formula")).to_contain_text("× track record")
    page.screenshot(path=screenshot_dir / "record-card.png", full_page=True)
    card.get_by_role("link", name=elsewhere.profile.user.name, exact=True).click()
    expect(page.locator("[data-record]")).to_contain_text("3 engagements")
    expect(page.locator("[data-record-engagements]")).to_have_count(0)
    sign_out(page)
    sign_in(page, elsewhere.profile.user.email)
    page.goto("/profile")
    expect(page.locator("#record")).to_contain_text("Your track record")
    expect(page.locator("[data-record-engagements] tbody tr")).to_have_count(3)
    expect(page.locator("#record")).not_to_contain_text(elsewhere.members[0].name)
    page.screenshot(path=screenshot_dir / "record-own.png", full_page=True)


def test_program_manager_reads_the_exposure_report(page, screenshot_dir):
    elsewhere, leader, need = with_record()
    manager = factories.UserFactory(
        program_manager=True, organisation=leader.organisation, email="pm-exposure@example.org"
    )
    db.session.commit()
    sign_in(page, leader.email)
    page.goto(f"/needs/{need.id}/matches")
    sign_out(page)
    sign_in(page, manager.email)
    page.get_by_role("link", name="Exposure").first.click()
    expect(page.locator("[data-exposure-views]")).to_contain_text("1 match-page views")
    expect(page.locator("[data-exposure=record]")).to_contain_text("No record")
    expect(page.locator("[data-exposure=region]")).to_be_visible()
    page.screenshot(path=screenshot_dir / "exposure-report.png", full_page=True)


def test_leader_switches_the_team_gap_off(page):
    world = completed_engagement()
    for item in world.engagement.plan_items:
        item.target_level = item.final_level = 4  # the team holds prompt design at 4 of 5 now
    world.need.learning_goals = "Write our own prompts"
    factories.ProfileFactory(headline="Prompt design coach", skill_labels=("prompt design",))
    db.session.commit()
    sign_in(page, world.leader.email)
    page.goto(f"/needs/{world.need.id}/matches")
    expect(page.locator("[data-team-gap]").first).to_contain_text("Your team already has")
    page.goto(f"/needs/{world.need.id}/edit")
    page.get_by_label("Weigh the skills by my team's gap").uncheck()
    page.get_by_role("button", name="Save need").click()
    expect(page.locator("[data-team-gap-setting]")).to_contain_text("Off")
    page.goto(f"/needs/{world.need.id}/matches")
    expect(page.locator("[data-team-gap]")).to_have_count(0)


def test_a_team_member_answers_the_follow_up_on_a_phone_without_javascript(
    page, watched_context, live_server, screenshot_dir
):
    world = completed_engagement()
    sign_in(page, world.leader.email)
    page.goto(f"/engagements/{world.engagement.id}")
    page.locator("#followup").get_by_role("button", name="Open the follow-up now").click()
    link = f"{live_server}/followup/{next(iter(outbox.followup_tokens().values()))}"
    phone = watched_context(viewport={"width": 390, "height": 844}, java_script_enabled=False).new_page()
    phone.goto(link)
    expect(phone.locator(".followup-about")).to_contain_text(world.need.title)
    box = phone.locator("main form").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # nothing runs off the side
    phone.screenshot(path=screenshot_dir / "phone-followup.png", full_page=True)
    phone.get_by_label("4 · confident").check()
    phone.get_by_role("button", name="Send my ratings").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
