"""A freelancer's first days in Chromium: an empty profile is not ranked but told what is
missing; an invitation is counted in the menu and on the home, and accepting it leads to the
engagement, naming the organisation and the leader; the leader then sees it on their home."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories, outbox
from tests.browser.actions import sign_in
from webapp.extensions import db
from webapp.invitations import services as invitations

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def seed_market():
    org = factories.OrganisationFactory(name="Northwind Freight")
    leader = factories.UserFactory(leader=True, organisation=org, email="lead@example.org", name="Lena Leader")
    needs = [
        factories.NeedFactory(organisation=org, created_by=leader, title=title, skill_labels=skills)
        for title, skills in (
            ("Coach our analysts in data analytics with AI", ("data analytics",)),
            ("Pastry production planning", ("bake pastries",)),
            ("Prompt clinic for the support team", ("customer service",)),
        )
    ]
    db.session.commit()
    return leader, needs


def test_a_new_freelancer_is_told_what_is_missing_before_needs_are_ranked(page, screenshot_dir):
    seed_market()
    page.goto("/signup")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("E-mail").fill("grace@example.org")
    page.get_by_label("Password").fill("compilers and cobol")
    page.get_by_label("A freelancer offering my skills").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    page.goto(f"/signup/confirm/{outbox.sign_up_token('grace@example.org')}")
    page.get_by_role("button", name="Confirm and sign in").click()
    completeness = page.locator("#completeness")
    expect(completeness).to_contain_text("Your profile is 0% complete")
    expect(completeness).to_contain_text(
        "Needs are ranked for you once your profile has a headline and at least one skill"
    )
    expect(completeness).to_contain_text("3 open needs are waiting")
    expect(completeness).to_contain_text("Each need's skills are matched against yours")
    expect(page.locator(".candidate")).to_have_count(0)  # no ten needs all scored alike
    page.screenshot(path=screenshot_dir / "freelancer-new-profile.png", full_page=True)

    completeness.get_by_role("link", name="Complete your profile").click()
    page.get_by_label("Headline").fill("Data analytics coach who pairs with analysts")
    page.get_by_label("Skill 1", exact=True).fill("data analytics")
    page.get_by_label("Time zone").fill("Europe/Lisbon")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#completeness")).to_contain_text("Your profile is 29% complete")
    expect(page.locator("#completeness .missing")).not_to_contain_text("A headline")
    page.get_by_role("link", name="Needs for me").click()
    expect(page.locator(".candidate").first).to_contain_text("Coach our analysts in data analytics with AI")
    expect(page.locator("#completeness")).not_to_contain_text("Needs are ranked for you once")


def test_an_invitation_is_counted_accepted_and_leads_to_the_engagement(page, screenshot_dir):
    leader, needs = seed_market()
    coach = factories.ProfileFactory(
        headline="Data analytics coach",
        skill_labels=("data analytics", "coaching techniques", "statistics"),
        bio="I teach analysts.",
        ai_usage="I pair with analysts.",
        hourly_rate=90,
        weekly_hours=12,
        timezone="Europe/Berlin",
    )
    coach.user.email = "coach@example.org"
    invitations.invite(needs[0], coach, "Your coaching approach is what our analysts need.", actor=leader)

    sign_in(page, "coach@example.org")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name=re.compile(r"^Invitations 1 waiting for your answer"))).to_be_visible()
    expect(page.locator("#whats-new")).to_contain_text("1 invitation waits for your answer (1 new)")
    page.locator("#whats-new").get_by_role("link", name=re.compile("invitation waits")).click()
    card = page.locator(".invitation").first
    expect(card).to_contain_text("From Lena Leader, Northwind Freight")
    page.screenshot(path=screenshot_dir / "freelancer-invitations.png", full_page=True)
    card.get_by_role("button", name=re.compile("^Accept")).click()

    expect(page).to_have_url(re.compile(r"/engagements/\d+#plan$"))
    expect(page.locator(".flash-success")).to_contain_text(
        "This is your engagement with Northwind Freight: agree the knowledge-transfer plan here with Lena Leader"
    )
    expect(page.locator(".engagement-who")).to_contain_text("Northwind Freight · led by Lena Leader")
    expect(menu.get_by_role("link", name="Invitations", exact=True)).to_be_visible()  # nothing waits now
    page.get_by_role("link", name="Invitations").click()
    expect(page.locator(".invitation").first.get_by_role("link", name="Open the engagement")).to_be_visible()
    sign_out(page)

    sign_in(page, "lead@example.org")
    expect(page.locator("#whats-new")).to_contain_text("1 invitation accepted")
    expect(page.locator("#whats-new")).to_contain_text("1 proposed engagement waits for an agreed plan")
    expect(menu.get_by_role("link", name=re.compile(r"^Engagements 1 with news"))).to_be_visible()
    page.screenshot(path=screenshot_dir / "leader-home-whats-new.png", full_page=True)
    menu.get_by_role("link", name=re.compile("^Engagements")).click()
    expect(page.locator("tbody tr").first).to_contain_text("new since you last signed in")
