"""A person signs up, signs out, signs in and sees their role's home, in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from webapp.extensions import db
from webapp.models import Role

pytestmark = pytest.mark.browser


def test_freelancer_signs_up_signs_out_and_signs_in_again(page, screenshot_dir, database_url):
    page.goto("/signup")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("E-mail").fill("grace@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_label("A freelancer offering my skills").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".error")).to_contain_text("at least 10 characters")
    expect(page.get_by_label("Your name")).to_have_value("Grace Hopper")

    page.get_by_label("Password").fill("compilers and cobol")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs for me")
    page.screenshot(path=screenshot_dir / f"freelancer-home-{database_url.split(':')[0]}.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash")).to_contain_text("signed out")
    page.get_by_label("E-mail").fill("grace@example.org")
    page.get_by_label("Password").fill("compilers and cobol")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/needs-for-me$"))
    assert page.dialogs == []


@pytest.mark.parametrize("role, heading", [
    (Role.LEADER, "your team's needs"), (Role.PROGRAM_MANAGER, "outcomes"),
])
def test_each_role_signs_in_and_sees_its_home(page, role, heading, screenshot_dir):
    org = factories.organisation("Northwind")
    factories.user(role, org, email="person@example.org")
    db.session.commit()
    page.goto("/signin")
    page.get_by_label("E-mail").fill("person@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.screenshot(path=screenshot_dir / f"{role.value}-home.png", full_page=True)
