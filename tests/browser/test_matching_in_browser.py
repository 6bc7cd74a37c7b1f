"""A leader posts a need, filters and shortlists candidates and invites one; the freelancer
finds the invitation and the need, accepts; the leader sees it accepted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.actions import sign_in
from webapp.extensions import db
from webapp.models import Skill

pytestmark = pytest.mark.browser


def seed():
    org = factories.OrganisationFactory(name="Northwind")
    factories.UserFactory(leader=True, organisation=org, email="lead@example.org", name="Lena Leader")
    db.session.add(Skill(uri="http://data.europa.eu/esco/skill/da", label="data analytics", alt_labels=[]))
    coach = factories.ProfileFactory(
        headline="Data analytics coach for finance teams",
        skill_labels=("data analytics",),
        ai_usage="I pair with analysts and run workshops so the team keeps control of AI.",
        hourly_rate=90,
        weekly_hours=20,
        timezone="Europe/Berlin",
    )
    coach.user.name = "Chris Coach"
    factories.ProfileFactory(
        headline="Premium automation architect", skill_labels=("robotic process automation",), hourly_rate=250
    )
    for i in range(3):
        factories.ProfileFactory(
            headline=f"Bookkeeper {i} for small shops", skill_labels=("bookkeeping",), hourly_rate=40 + i
        )
    db.session.commit()
    return coach


def test_leader_to_freelancer_to_leader(page, screenshot_dir):
    coach = seed()
    sign_in(page, "lead@example.org")
    page.get_by_role("link", name="Post a need").first.click()
    page.get_by_label("Title").fill("Finance analysts learn data analytics with AI")
    page.get_by_label("What the team does and what it needs").fill(
        "Our finance analysts build monthly reports by hand and want to use data analytics with AI themselves."
    )
    page.get_by_label("Skill 1", exact=True).fill("data analytics")
    page.get_by_label("What the team must be able to do by the end").fill("Build their own analyses with AI help.")
    page.get_by_label("Budget from (per hour)").fill("150")
    page.get_by_label("Budget up to (per hour)").fill("100")
    page.get_by_role("button", name="Save need").click()
    expect(page.locator(".error")).to_contain_text("at least the lower one")
    expect(page.get_by_label("Title")).to_have_value("Finance analysts learn data analytics with AI")
    expect(page.locator("#preview")).to_contain_text("Chris Coach")  # live preview, debounced
    page.get_by_label("Budget from (per hour)").fill("60")
    page.get_by_role("button", name="Save need").click()
    expect(page.locator(".flash-success")).to_contain_text("Need saved")

    page.get_by_role("link", name="See candidates").click()
    expect(page.locator(".candidate").first).to_contain_text("Chris Coach")
    page.screenshot(path=screenshot_dir / "matches.png", full_page=True)
    page.get_by_label("Max rate /h").fill("100")
    page.get_by_label("Max rate /h").blur()  # a real change event, as a person leaving the field
    expect(page).to_have_url(re.compile(r"max_rate=100"))
    expect(page.locator("#candidates")).not_to_contain_text("Premium automation architect")
    first = page.locator(".candidate").first
    first.get_by_role("button", name="☆ Shortlist").click()
    expect(first.get_by_role("button", name="★ Shortlisted")).to_be_visible()
    page.get_by_role("link", name="Compare shortlist").click()
    expect(page.locator("table.compare")).to_contain_text("Chris Coach")
    page.screenshot(path=screenshot_dir / "compare.png", full_page=True)
    page.locator("table.compare").get_by_role("link", name="Invite").click()
    page.get_by_label("Message").fill("Your coaching approach is exactly what our analysts need.")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("table")).to_contain_text("sent")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, coach.user.email)
    expect(page.locator(".candidate").first).to_contain_text("Finance analysts learn data analytics with AI")
    page.screenshot(path=screenshot_dir / "needs-for-me.png", full_page=True)
    page.get_by_role("link", name="Invitations").click()
    expect(page.locator(".card").first).to_contain_text("exactly what our analysts need")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".flash-success")).to_contain_text("Accepted")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "lead@example.org")
    expect(page.locator("table")).to_contain_text("Finance analysts learn data analytics with AI")
    expect(page.get_by_title(re.compile("^Freelancers who are a strong fit")).last).to_have_text(re.compile(r"^\d+$"))
    page.get_by_role("link", name="Finance analysts learn data analytics with AI", exact=True).click()
    page.get_by_role("link", name="Invitations for this need").click()
    expect(page.locator("table")).to_contain_text("accepted")
    assert page.dialogs == []
