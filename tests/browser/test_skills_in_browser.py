"""Skill help in the browser: the need form reads skills from the description as it is typed,
a chip adds one, a dismissed one stays away, an unknown skill gets "did you mean", and the
same works without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.actions import sign_in
from webapp.extensions import db
from webapp.models import Skill

pytestmark = pytest.mark.browser
AI = "urn:tandem:skill:ai:"


def seed() -> None:
    org = factories.OrganisationFactory(name="Northwind")
    factories.UserFactory(leader=True, organisation=org, email="lead@example.org", name="Lena Leader")
    db.session.add_all(
        [
            Skill(uri="http://data.europa.eu/esco/skill/sqls", label="SQL Server", alt_labels=["MS SQL Server"]),
            Skill(uri=AI + "rag", label="retrieval-augmented generation", alt_labels=["RAG"]),
            Skill(uri=AI + "lit", label="AI literacy training", augment_lean=1.0),
        ]
    )
    db.session.commit()


def skill_inputs(page):
    return page.locator("input[name$='-skill']")


def test_skills_are_read_from_the_description_and_added_by_a_click(page, screenshot_dir):
    seed()
    sign_in(page, "lead@example.org")
    page.goto("/needs/new")
    page.get_by_label("Title").fill("Claims retrieval")
    page.get_by_label("What the team does and what it needs").fill(
        "We build RAG pipelines over policy documents and run AI literacy training for adjusters."
    )
    chips = page.locator("#skill-suggestions")
    expect(chips.get_by_role("button", name="+ retrieval-augmented generation")).to_be_visible()
    expect(chips).to_contain_text("from “RAG")
    assert skill_inputs(page).first.input_value() == ""  # nothing added unasked
    page.screenshot(path=screenshot_dir / "need-form-skill-chips.png", full_page=True)

    chips.get_by_role("button", name="+ AI literacy training").click()
    expect(skill_inputs(page).first).to_have_value("AI literacy training")
    expect(page.get_by_label("Title")).to_have_value("Claims retrieval")  # the rest is kept

    page.locator("#skill-suggestions").get_by_role("button", name="Dismiss retrieval-augmented generation").click()
    expect(
        page.locator("#skill-suggestions").get_by_role("button", name="+ retrieval-augmented generation")
    ).to_have_count(0)


def test_an_unknown_skill_gets_did_you_mean_and_one_click_fixes_it(page):
    seed()
    sign_in(page, "lead@example.org")
    page.goto("/needs/new")
    skill_inputs(page).first.fill("sql serveur")
    page.get_by_role("button", name="Suggest skills from my text").click()
    hint = page.locator(".did-you-mean")
    expect(hint).to_contain_text("Did you mean")
    hint.get_by_role("button", name="SQL Server").click()
    expect(skill_inputs(page).first).to_have_value("SQL Server")


def test_suggestions_work_without_javascript(chromium, live_server, app):
    seed()
    app.config["WTF_CSRF_ENABLED"] = True
    context = chromium.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "lead@example.org")
        page.goto("/needs/new")
        page.get_by_label("What the team does and what it needs").fill("We want RAG over our documents, please.")
        page.get_by_role("button", name="Suggest skills from my text").click()
        page.get_by_role("button", name="+ retrieval-augmented generation").click()
        expect(skill_inputs(page).first).to_have_value("retrieval-augmented generation")
        assert re.search(r"/needs/new$", page.url)
    finally:
        context.close()
