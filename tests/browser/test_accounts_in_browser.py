"""A person signs up, confirms their address from the mail (read in the admin outbox), signs out,
signs in and sees their role's home, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.actions import sign_in
from webapp.extensions import db
from webapp.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(chromium, live_server, app):
    """A second browser, an admin's: they read the outbox, where mail goes without an SMTP host."""
    admin = factories.UserFactory(
        admin=True, organisation=factories.OrganisationFactory(name="Tandem Ops"), email="admin@example.org"
    )
    db.session.commit()
    context = chromium.new_context(base_url=live_server)
    page = context.new_page()
    sign_in(page, admin.email)
    yield page
    context.close()


def link_in_outbox(admin_page, to: str) -> str:
    admin_page.goto("/admin/outbox")
    message = admin_page.locator(".outbox-message", has_text=f"To {to}").first
    expect(message.get_by_role("heading")).to_contain_text("Confirm your e-mail address")
    return message.locator("a[href*='/signup/confirm/']").get_attribute("href")


def sign_up(page, name: str, email: str, password: str, *, organisation: str | None = None) -> None:
    page.goto("/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    if organisation is None:
        page.get_by_label("A freelancer offering my skills").check()
    else:
        page.get_by_label("A leader of a team in a new organisation").check()
        page.get_by_label("Organisation name").fill(organisation)
    page.get_by_role("button", name="Create my account").click()


def test_freelancer_signs_up_confirms_from_the_outbox_and_signs_in_again(
    page, admin_page, app, live_server, screenshot_dir, database_url
):
    app.config["TANDEM_BASE_URL"] = live_server  # links in e-mails point at this test's server
    sign_up(page, "Grace Hopper", "grace@example.org", "short")
    expect(page.locator(".error")).to_contain_text("at least 10 characters")
    expect(page.get_by_label("Your name")).to_have_value("Grace Hopper")

    page.get_by_label("Password").fill("compilers and cobol")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)  # no account yet

    page.goto(link_in_outbox(admin_page, "grace@example.org"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your account")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.locator(".flash")).to_contain_text("Welcome to Tandem, Grace Hopper")
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs for me")
    page.screenshot(path=screenshot_dir / f"freelancer-home-{database_url.split(':')[0]}.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash")).to_contain_text("signed out")
    page.get_by_label("E-mail").fill("grace@example.org")
    page.get_by_label("Password").fill("compilers and cobol")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/needs-for-me$"))
    assert page.dialogs == []


def test_a_leader_whose_organisation_name_is_taken_picks_another_when_confirming(page, admin_page, app, live_server):
    app.config["TANDEM_BASE_URL"] = live_server
    sign_up(page, "Lin Leader", "lin@example.org", "a team that learns", organisation="tandem ops")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")  # the page doesn't tell

    page.goto(link_in_outbox(admin_page, "lin@example.org"))
    expect(admin_page.locator(".outbox-message").first).to_contain_text("already on Tandem")
    expect(page.get_by_label("Organisation name")).to_have_value("tandem ops")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.locator(".error")).to_contain_text("already on Tandem")
    page.get_by_label("Organisation name").fill("Lin's Analytics")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your team's needs")
    assert page.dialogs == []


@pytest.mark.parametrize("role, heading", [(Role.LEADER, "your team's needs"), (Role.PROGRAM_MANAGER, "outcomes")])
def test_each_role_signs_in_and_sees_its_home(page, role, heading, screenshot_dir):
    org = factories.OrganisationFactory(name="Northwind")
    factories.UserFactory(role=role, organisation=org, email="person@example.org")
    db.session.commit()
    page.goto("/signin")
    page.get_by_label("E-mail").fill("person@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.screenshot(path=screenshot_dir / f"{role.value}-home.png", full_page=True)
