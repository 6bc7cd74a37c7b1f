"""Tandem on a phone (390×844) in Chromium: the menu folds behind a button, tables read as
labelled cards, nothing is wider than the screen; and the site icon is there on a first visit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.actions import sign_in
from tests.factories import engagement_world
from webapp.models import EngagementStatus

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def before(cell) -> str:
    return cell.evaluate("cell => getComputedStyle(cell, '::before').content")


def test_on_a_phone_the_menu_folds_and_tables_are_labelled_cards(watched_context, screenshot_dir):
    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    page = watched_context(viewport=PHONE).new_page()
    sign_in(page, world.leader.email)
    header = page.locator(".site-header")
    menu = page.locator("#main-menu")
    expect(menu).to_be_hidden()
    assert header.bounding_box()["height"] < 80  # it took 175 px
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Engagements")).to_be_visible()

    row = page.locator("#needs-table tbody tr").first
    assert before(row.locator('td[data-label="Team"]')) == '"Team"'
    assert before(row.locator('td[data-label="Interested"]')) == '"Interested"'
    page.screenshot(path=screenshot_dir / "phone-leader-home.png", full_page=True)

    page.goto(f"/engagements/{world.engagement.id}")
    cell = page.locator("#plan-grid tbody tr").first.locator("td").first
    assert before(cell) == '"prompt design"'
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "phone-engagement.png", full_page=True)


def test_the_site_icon_is_served_where_browsers_ask_for_it(page):
    response = page.request.get("/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page.goto("/signin")
    expect(page.locator("link[rel='icon']")).to_have_attribute("href", "/favicon.ico")
    # The watch fails any test whose pages asked for an icon that isn't there.
