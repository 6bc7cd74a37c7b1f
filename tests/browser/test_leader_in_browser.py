"""A leader's day in Chromium: the home sorted and filtered with drafts and counts, a form's
error summary, a freelancer's profile, search results that act, a shortlist undone, and Back
after htmx paging within the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.accessibility import axe_violations
from tests.browser.actions import sign_in
from webapp.extensions import db
from webapp.models import Engagement, EngagementStatus

pytestmark = pytest.mark.browser


def seed():
    """A leader with needs in every status, 14 freelancers (two of them called Alex Morgan, one
    hidden) and a finished engagement with one of them."""
    org = factories.OrganisationFactory(name="Northwind")
    leader = factories.UserFactory(leader=True, organisation=org, email="lead@example.org", name="Lena Leader")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Coach our analysts in data analytics with AI",
        description="Analysts build weekly reports; we want them pairing with AI on data analytics.",
        skill_labels=("data analytics", "coaching techniques"),
        hours_per_week=12,
        duration_weeks=8,
    )
    factories.NeedFactory(organisation=org, created_by=leader, title="Archive the old billing reports", closed=True)
    factories.NeedFactory(organisation=org, created_by=leader, title="Zero-touch invoice capture", paused=True)
    alex = factories.ProfileFactory(
        headline="Analytics coach for finance teams",
        skill_labels=("data analytics", "coaching techniques"),
        bio="Eleven years in finance analytics; I teach teams to build their own reports.",
        ai_usage="I pair with analysts and coach them so people stay in the loop.",
        hourly_rate=95,
        weekly_hours=16,
        timezone="Europe/Berlin",
    )
    alex.user.name = "Alex Morgan"
    namesake = factories.ProfileFactory(
        headline="Warehouse robotics integrator",
        skill_labels=("automation technology",),
        hourly_rate=150,
        weekly_hours=30,
        timezone="America/Chicago",
    )
    namesake.user.name = "Alex Morgan"
    for i in range(11):
        factories.ProfileFactory(
            headline=f"Data analyst number {i} who coaches teams",
            skill_labels=("data analytics",),
            hourly_rate=60 + i,
            weekly_hours=10 + i,
        )
    hidden = factories.ProfileFactory(headline="Hidden analytics coach", skill_labels=("data analytics",), hidden=True)
    earlier = factories.NeedFactory(
        organisation=org, created_by=leader, title="Last year's reporting clinic", closed=True
    )
    db.session.add(Engagement(need=earlier, profile=alex, status=EngagementStatus.COMPLETED))
    db.session.commit()
    return need, alex, namesake, hidden


def test_the_leader_home_filters_sorts_counts_and_keeps_drafts(page, screenshot_dir):
    need, *_ = seed()
    sign_in(page, "lead@example.org")
    table = page.locator("#needs-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    row = table.locator("tbody tr").filter(has_text=need.title)
    expect(row.locator('td[data-label="Candidates"] a')).to_have_text(re.compile(r"^\d+$"))  # filled in by htmx
    expect(row.locator('td[data-label="Strong"]')).to_have_text(re.compile(r"^\d+$"))

    page.get_by_role("link", name="Post a need").first.click()
    page.get_by_label("Title").fill("Prompt clinic for the support team")
    page.get_by_label("What the team does and what it needs").fill(
        "Support agents answer parcel questions all day long."
    )
    page.get_by_label("What the team must be able to do by the end").fill("Write and review their own prompts.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft saved")
    expect(page.locator("h1 .badge")).to_have_text("draft")

    page.get_by_role("link", name="Needs", exact=True).click()
    page.get_by_label("Status").select_option("draft")
    expect(page).to_have_url(re.compile(r"status=draft"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Prompt clinic for the support team")
    page.get_by_label("Status").select_option("")
    page.get_by_label("Sort by").select_option("title")
    expect(table.locator("tbody tr").first).to_contain_text("Archive the old billing reports")
    table.get_by_role("link", name="Status", exact=True).click()  # the column heads sort too
    expect(table.locator("tbody tr").first.locator('td[data-label="Status"]')).to_have_text("open")
    expect(table.locator("th[aria-sort]")).to_have_text("Status")
    page.screenshot(path=screenshot_dir / "leader-home-filtered.png", full_page=True)

    page.get_by_role("link", name="Finish the draft Prompt clinic for the support team").click()
    page.get_by_role("button", name="Save and open the need").click()
    expect(page.locator("h1 .badge")).to_have_text("open")


def test_a_failed_form_says_what_is_wrong_at_the_top_and_takes_the_focus(page):
    seed()
    sign_in(page, "lead@example.org")
    page.goto("/needs/new")
    page.get_by_label("Budget from (per hour)").fill("150")
    page.get_by_label("Budget up to (per hour)").fill("100")
    page.get_by_role("button", name="Save need").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    for text in ("Title:", "What the team does and what it needs:", "Budget up to (per hour): The upper budget"):
        expect(summary).to_contain_text(text)
    assert summary.bounding_box()["y"] < 400  # above the fold, not below it
    summary.get_by_role("link", name=re.compile("^Title:")).click()
    expect(page.get_by_label("Title")).to_be_focused()
    assert page.locator('[aria-describedby="None"]').count() == 0
    assert page.locator("#timezone-options option").count() > 300  # the list the time-zone field points at
    expect(page.locator("#timezone-options option[value='Europe/Berlin']")).to_have_count(1)


def test_a_freelancers_profile_for_leaders_with_shortlist_and_invite(page, screenshot_dir):
    need, alex, namesake, hidden = seed()
    sign_in(page, "lead@example.org")
    page.goto(f"/needs/{need.id}/matches")
    card = page.locator(f"#candidate-{alex.id}")
    card.get_by_role("link", name="Alex Morgan", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/freelancers/{alex.id}\?need={need.id}$"))
    main = page.locator("main")
    for text in (
        "Analytics coach for finance teams",
        "Eleven years in finance analytics",
        "data analytics",
        "practitioner",
        "I pair with analysts",
        "16 h/week",
        "Europe/Berlin",
        "Augments",
        "Last year's reporting clinic",
    ):
        expect(main).to_contain_text(text)
    page.screenshot(path=screenshot_dir / "freelancer-profile-for-leaders.png", full_page=True)
    page.get_by_role("button", name="☆ Shortlist").click()
    expect(page.get_by_role("button", name="★ Shortlisted")).to_be_visible()
    page.get_by_role("link", name="Invite", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite Alex Morgan")

    page.goto(f"/freelancers/{namesake.id}")  # the namesake is someone else, and says so
    expect(page.locator("main")).to_contain_text("Warehouse robotics integrator")
    page.get_by_label("For which need?").select_option(str(need.id))
    page.get_by_role("button", name="Choose").click()
    expect(page.get_by_role("button", name="☆ Shortlist")).to_be_visible()
    assert page.goto(f"/freelancers/{hidden.id}").status == 404


def test_search_gives_the_match_cards_with_shortlist_and_invite(page):
    need, alex, *_ = seed()
    sign_in(page, "lead@example.org")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Describe the freelancer you are looking for").fill("analytics coach for finance")
    expect(page.get_by_label("Shortlist and invite for")).to_have_value(str(need.id))
    page.get_by_role("button", name="Search", exact=True).click()
    card = page.locator(f"#candidate-{alex.id}")
    expect(card.get_by_role("link", name="Alex Morgan", exact=True)).to_have_attribute(
        "href", f"/freelancers/{alex.id}?need={need.id}"
    )
    card.get_by_role("button", name="☆ Shortlist").click()
    expect(card.get_by_role("button", name="★ Shortlisted")).to_be_visible()
    expect(card.get_by_role("link", name="Invite Alex Morgan")).to_have_attribute(
        "href", f"/needs/{need.id}/invite/{alex.id}"
    )
    page.get_by_label("Shortlist and invite for").select_option("0")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".candidate").first).to_be_visible()
    expect(page.get_by_role("button", name="☆ Shortlist")).to_have_count(0)  # no need chosen: nothing to act for


def test_removing_someone_from_the_shortlist_leaves_one_button(page):
    need, alex, *_ = seed()
    sign_in(page, "lead@example.org")
    page.goto(f"/needs/{need.id}/matches")
    card = page.locator(f"#candidate-{alex.id}")
    card.get_by_role("button", name="☆ Shortlist").click()
    expect(card.get_by_role("button", name="★ Shortlisted")).to_be_visible()
    card.get_by_role("button", name="★ Shortlisted").click()
    expect(card.get_by_role("button", name="☆ Shortlist")).to_be_visible()
    expect(card.locator(".shortlist-form button")).to_have_count(1)
    page.goto(f"/needs/{need.id}/compare")
    expect(page.locator("main")).to_contain_text("Nobody shortlisted yet")
    # The watch fails this test on the htmx:swapError the old field name caused.


def test_back_after_htmx_paging_applies_no_inline_style(page):
    need, *_ = seed()
    sign_in(page, "lead@example.org")
    page.goto(f"/needs/{need.id}/matches")
    # A style attribute on the page, as browser extensions and accessibility tools add them:
    # htmx used to copy such attributes when it settled a swap, which the CSP refuses.
    page.evaluate("document.getElementById('candidates').style.outline = '1px dotted transparent'")
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".pager")).to_contain_text("Page 2")
    page.go_back()
    expect(page.locator(".pager")).to_contain_text("Page 1")
    page.go_forward()
    expect(page.locator(".pager")).to_contain_text("Page 2")
    page.go_back()
    expect(page.locator(".pager")).to_contain_text("Page 1")
    assert page.evaluate("document.querySelectorAll('head style').length") == 0
    assert axe_violations(page) == []
    # The watch fails this test on any "Applying inline style violates ... style-src" report.
