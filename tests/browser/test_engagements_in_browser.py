"""An engagement from first plan to reviewed outcome, in a real browser: the freelancer and the
leader set up the plan, log sessions, the team checks in through personal links, and the
completed engagement reads as a record."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests import outbox
from tests.browser.actions import sign_in
from tests.factories import engagement_world

pytestmark = pytest.mark.browser
AGREE = "4 · Agree"


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def open_engagement(page) -> None:
    page.get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Pair with our ops team on AI").click()


def plan_row(page, member: str, skill: str):
    return page.locator("#plan-table tbody tr").filter(has_text=member).filter(has_text=skill)


def open_plan_rows(page) -> None:
    rows = page.locator("details.plan-rows")
    if not rows.evaluate("details => details.open"):
        rows.locator("summary").click()


def edit_row(page, member: str, skill: str, **levels: str) -> None:
    """Edits one plan row in place: htmx swaps the row for its form and back."""
    open_plan_rows(page)
    page.get_by_role("link", name=f"Edit {member}, {skill}").click()
    row = plan_row(page, member, skill)
    for name, value in levels.items():
        row.get_by_label(name).fill(value)
    row.get_by_role("button", name=f"Save {member}, {skill}").click()
    expect(row.get_by_role("link", name=f"Edit {member}, {skill}")).to_be_visible()


def log_session(page, kind: str, held_on: date, minutes: str, attendees: list[str], item: str) -> None:
    sessions = page.locator("#sessions")
    sessions.get_by_label("Kind").select_option(kind)
    sessions.get_by_label("Date", exact=True).fill(held_on.isoformat())
    sessions.get_by_label("Length (minutes)").fill(minutes)
    for name in attendees:
        sessions.get_by_label(name, exact=True).check()
    sessions.get_by_label(item, exact=True).check()
    sessions.get_by_label("Notes").fill(f"{kind.capitalize()} on the triage prompts.")
    sessions.get_by_role("button", name="Log the session").click()
    expect(page.locator(".flash")).to_contain_text("Session logged.")


def fill_check_in(member_page) -> None:
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Team check-in")
    # What the questions are about: the team, the freelancer and the engagement's purpose.
    expect(member_page.locator(".checkin-about")).to_contain_text(
        re.compile(r"Operations at Org \d+ works with Fred Freelancer on “Pair with our ops team on AI”")
    )
    for group in member_page.get_by_role("group").all():
        options = group.get_by_role("radio")
        (group.get_by_label(AGREE) if group.get_by_label(AGREE).count() else options.nth(2)).check()


def answer_check_in(context, link: str, screenshot=None) -> None:
    member_page = context.new_page()
    member_page.goto(link)
    fill_check_in(member_page)
    if screenshot:
        member_page.screenshot(path=screenshot, full_page=True)
    member_page.get_by_role("button", name="Send my answers").click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Thank you")
    member_page.close()


def as_person(page, email: str, url: str):
    """Signs whoever is signed in out, signs `email` in and opens `url`."""
    if page.get_by_role("button", name="Sign out").count():
        sign_out(page)
    sign_in(page, email)
    page.goto(url)


def freelancer_drafts_the_plan(page) -> None:
    page.get_by_role("button", name="Add the need's skills for every team member").click()
    expect(page.locator(".flash")).to_contain_text("3 plan items added")
    page.get_by_label("Skill to transfer").fill("Reviewing AI drafts")
    page.locator("#plan").get_by_label("Chen", exact=True).uncheck()
    page.locator("#plan").get_by_label("Target level").fill("4")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator(".flash").first).to_contain_text("Added to the plan for Ana, Ben.")


def leader_adjusts_and_starts(page, screenshot_dir) -> None:
    edit_row(page, "Chen", "prompt design", Baseline="2", Target="4")
    cells = plan_row(page, "Chen", "prompt design").locator("td")
    expect(cells.nth(2)).to_have_text("2")
    expect(cells.nth(3)).to_have_text("4")
    page.get_by_role("button", name="Start the engagement").click()
    expect(page.locator(".flash")).to_contain_text("The engagement is started.")
    page.screenshot(path=screenshot_dir / "engagement-plan.png", full_page=True)


def team_checks_in(page, watched_context, live_server, screenshot_dir) -> None:
    """The leader opens a round; each member answers from the link in their own e-mail, in their own browser."""
    page.get_by_role("button", name="Open a check-in round").click()
    expect(page.locator(".flash")).to_contain_text("Check-in open: 3 members")
    expect(page.locator("#checkins")).to_contain_text("0 of 3 answered")
    assert "/checkin/" not in page.content()  # the leader never sees a link
    page.screenshot(path=screenshot_dir / "engagement-checkin-opened.png", full_page=True)
    links = [f"{live_server}/checkin/{token}" for token in outbox.checkin_tokens().values()]
    assert len(links) == 3 and len(set(links)) == 3
    team = watched_context()
    for index, link in enumerate(links):
        answer_check_in(team, link, screenshot_dir / "checkin-questionnaire.png" if index == 0 else None)
    used = team.new_page()
    assert used.goto(links[0]).status == 200  # looks as it did before it was used
    fill_check_in(used)
    used.get_by_role("button", name="Send my answers").click()
    expect(used.get_by_role("heading", level=1)).to_have_text("These answers were not saved")
    team.close()


def leader_reads_the_round(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#checkins")).to_contain_text("3 of 3 answered")
    expect(page.locator("#checkins")).to_contain_text("Results appear when the round closes")
    page.get_by_role("button", name="Close this round now").click()
    expect(page.locator("#health-chart")).to_be_visible()


def leader_records_final_levels_and_completes(page, screenshot_dir) -> None:
    """Every final level in the grid, saved in one request."""
    grid = page.locator("#plan-grid")
    grid.get_by_role("link", name="Set all final levels").click()
    for member, skill, final in [
        ("Ana", "prompt design", "3"),
        ("Ben", "prompt design", "3"),
        ("Chen", "prompt design", "4"),
        ("Ana", "Reviewing AI drafts", "3"),
        ("Ben", "Reviewing AI drafts", "2"),
    ]:
        grid.get_by_label(f"Final level: {member}, {skill}").select_option(final)
    page.screenshot(path=screenshot_dir / "engagement-final-levels-grid.png", full_page=True)
    with page.expect_request(lambda request: request.method == "POST") as saved:
        grid.get_by_role("button", name="Save all final levels").click()
    assert saved.value.url.endswith("/plan/final-levels")
    expect(page.locator("#plan-grid")).to_contain_text("Saved 5 final levels.")
    expect(page.locator("#plan-grid tbody tr").filter(has_text="Chen")).to_contain_text("final 4")
    expect(page.locator('[data-indicator="progress"]')).not_to_have_text("0%")  # the indicators follow
    page.get_by_role("button", name="Complete the engagement").click()
    expect(page.locator(".flash")).to_contain_text("The engagement is completed.")


def write_review(page, text: str) -> None:
    page.get_by_label("Your review").fill(text)
    page.get_by_role("button", name="Add my review").click()
    expect(page.locator(".flash")).to_contain_text("your review is part of the record")


def the_record_shows_it_all(page, screenshot_dir) -> None:
    timeline = page.locator("#timeline")
    for text in (
        "Engagement completed",
        "Engagement started",
        "Pairing session, 90 minutes",
        "Workshop session, 120 minutes",
        "Check-in round: 3 of 3 answered",
        "Outcome rated 4 of 5",
        "The leader's review was written",
        "The freelancer's review was written",
        "Engagement proposed",
    ):
        expect(timeline).to_contain_text(text)
    expect(page.locator("#levels-chart svg")).to_be_visible()
    expect(page.locator('[data-indicator="coverage"]')).to_have_text("100%")
    expect(page.get_by_role("button", name="Log the session")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "engagement-record.png", full_page=True)


def test_an_engagement_from_plan_to_reviewed_record(page, watched_context, live_server, screenshot_dir):
    world = engagement_world()
    url = f"/engagements/{world.engagement.id}"

    sign_in(page, world.freelancer.email)
    open_engagement(page)
    freelancer_drafts_the_plan(page)

    as_person(page, world.leader.email, url)
    leader_adjusts_and_starts(page, screenshot_dir)

    as_person(page, world.freelancer.email, url)
    log_session(page, "pairing", date.today(), "90", ["Ana", "Ben"], "Ana · prompt design")
    log_session(page, "workshop", date.today(), "120", ["Ana", "Ben", "Chen"], "Ben · Reviewing AI drafts")
    expect(page.locator("#sessions tbody tr")).to_have_count(2)

    as_person(page, world.leader.email, url)
    team_checks_in(page, watched_context, live_server, screenshot_dir)
    leader_reads_the_round(page, url)
    leader_records_final_levels_and_completes(page, screenshot_dir)
    write_review(page, "The team now writes and reviews its own prompts, and pairs on new ones.")

    as_person(page, world.freelancer.email, url)
    write_review(page, "Ana and Ben now run the prompt reviews without me.")

    as_person(page, world.manager.email, url)
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Rate the outcome").click()
    expect(page.locator("[data-outcome-rating]")).to_have_text("4 of 5")
    the_record_shows_it_all(page, screenshot_dir)
    assert page.dialogs == []
