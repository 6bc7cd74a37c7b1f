"""A leader writes a need and sees, as they type, which way its words lean and why; the
candidates carry a labelled score whose meaning is one click away, plain reasons, a mark on
whoever is over budget and the numbers behind a disclosure; a firm budget leaves them out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.actions import sign_in
from webapp.extensions import db
from webapp.models import Skill

pytestmark = pytest.mark.browser


def seed() -> None:
    org = factories.OrganisationFactory(name="Northwind")
    factories.UserFactory(leader=True, organisation=org, email="lead@example.org", name="Lena Leader")
    db.session.add(Skill(uri="http://data.europa.eu/esco/skill/da", label="data analytics", alt_labels=[]))
    coach = factories.ProfileFactory(
        headline="Data analytics coach for finance teams",
        skill_labels=("data analytics",),
        ai_usage="I pair with analysts and run workshops so the team keeps control of AI.",
        hourly_rate=90,
    )
    coach.user.name = "Chris Coach"
    pricey = factories.ProfileFactory(
        headline="Data analytics consultant for finance", skill_labels=("data analytics",), hourly_rate=240
    )
    pricey.user.name = "Pat Pricey"
    for i in range(3):
        factories.ProfileFactory(
            headline=f"Bookkeeper {i} for small shops", skill_labels=("bookkeeping",), hourly_rate=40 + i
        )
    db.session.commit()


def write_need(page) -> None:
    page.get_by_role("link", name="Post a need").first.click()
    page.get_by_label("Title").fill("Finance analysts learn data analytics with AI")
    page.get_by_label("What the team does and what it needs").fill(
        "Coach our analysts until they can build the analyses themselves; the team keeps the final call."
    )
    page.get_by_label("Skill 1", exact=True).fill("data analytics")
    page.get_by_label("What the team must be able to do by the end").fill("Build their own analyses with AI help.")
    page.get_by_label("Budget up to (per hour)").fill("120")


def test_the_lean_is_read_as_typed_and_the_score_explains_itself(page, screenshot_dir):
    seed()
    sign_in(page, "lead@example.org")
    write_need(page)
    lean = page.locator("#need-lean")
    expect(lean).to_contain_text("Read from your words: leans to augmenting people")
    expect(lean).to_contain_text("augmenting because of")
    page.screenshot(path=screenshot_dir / "need-lean.png", full_page=True)
    page.get_by_role("button", name="Save need").click()
    expect(page.locator(".flash-success")).to_contain_text("Need saved")
    expect(page.locator("main")).to_contain_text("Ranked with this lean because no other answer was chosen")

    page.get_by_role("link", name="See candidates").click()
    coach = page.locator(".candidate", has_text="Chris Coach")
    expect(coach.locator(".fit-label")).to_be_visible()
    expect(coach.locator(".why")).to_contain_text("data analytics")
    expect(coach.locator(".score-details .formula")).to_be_hidden()
    coach.get_by_text("Details of the score").click()
    expect(coach.locator(".score-details .formula")).to_contain_text("score = relevance × augmentation × terms")
    pricey = page.locator(".candidate", has_text="Pat Pricey")
    expect(pricey.locator(".flags")).to_contain_text("Over budget")
    expect(coach.locator(".flags")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "scores.png", full_page=True)

    coach.locator(".fit-label").click()
    expect(page.get_by_role("heading", name="What a score means")).to_be_visible()
    expect(page.locator("#strong")).to_contain_text("Strong fit: 75 and above")


def test_a_firm_budget_leaves_out_whoever_asks_for_more(page):
    seed()
    sign_in(page, "lead@example.org")
    write_need(page)
    page.get_by_label("The budget is firm: don't show anyone who asks for more").check()
    page.get_by_role("button", name="Save need").click()
    expect(page.locator("main")).to_contain_text("firm: nobody above it is shown")
    page.get_by_role("link", name="See candidates").click()
    expect(page.locator(".candidate", has_text="Chris Coach")).to_be_visible()
    expect(page.locator(".candidate", has_text="Pat Pricey")).to_have_count(0)
