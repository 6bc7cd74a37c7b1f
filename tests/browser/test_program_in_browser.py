"""A program manager reviews outcomes in a real browser: filters the dashboard (htmx keeps the
URL shareable), reads a chart and the table behind it, exports CSV, opens an at-risk engagement."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.actions import sign_in
from tests.factories.programs import program_world

pytestmark = pytest.mark.browser


def test_a_program_manager_filters_reads_exports_and_opens_an_at_risk_engagement(page, app, screenshot_dir):
    world = program_world()
    sign_in(page, world.manager.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"outcomes$"))
    table = page.locator("#engagement-table tbody")
    expect(table.locator("tr")).to_have_count(3)

    page.get_by_label("Status", exact=True).select_option("active")
    expect(page).to_have_url(re.compile(r"/program\?.*status=active"))
    expect(table.locator("tr")).to_have_count(2)
    expect(table).not_to_contain_text("Coach the ops team on triage prompts")

    comparison = page.locator("#comparison")
    expect(comparison.locator("svg")).to_be_visible()
    comparison.get_by_text("The numbers behind this chart").click()
    numbers = page.locator("#comparison-table")
    expect(numbers).to_be_visible()
    expect(numbers.get_by_role("row", name=re.compile("Automation-focused"))).to_contain_text("n=1")
    page.screenshot(path=screenshot_dir / "program-dashboard.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(Path(download.value.path()).read_text().splitlines()))
    assert sorted(row["need"] for row in rows) == ["Automate the ops report", "Pair with finance on forecasting"]

    page.reload()  # the filtered URL is the shareable one
    expect(table.locator("tr")).to_have_count(2)
    page.locator("#at-risk").get_by_role("link", name="Automate the ops report").click()
    expect(page).to_have_url(re.compile(rf"/engagements/{world.quiet.id}#risk$"))
    expect(page.locator("#risk")).to_contain_text("No session in the last 20 days")
    page.screenshot(path=screenshot_dir / "program-at-risk-engagement.png", full_page=True)
