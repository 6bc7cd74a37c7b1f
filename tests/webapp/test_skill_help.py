"""Help with skill rows on the need and profile forms: did you mean, skills read from the text,
autocomplete; every button works as a plain form submit, and nothing is added unasked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Need, Skill

from .. import factories

URI = "http://data.europa.eu/esco/skill/"


@pytest.fixture
def taxonomy(app):
    db.session.add_all(
        [
            Skill(uri=URI + "sqls", label="SQL Server", alt_labels=["MS SQL Server"]),
            Skill(uri=URI + "coach", label="coach employees"),
            Skill(uri="urn:tandem:skill:ai:rag", label="retrieval-augmented generation", alt_labels=["RAG"]),
            Skill(uri="urn:tandem:skill:ai:lit", label="AI literacy training", augment_lean=1.0),
        ]
    )
    db.session.commit()


@pytest.fixture
def leader(app, taxonomy, auth):
    org = factories.OrganisationFactory()
    person = factories.UserFactory(leader=True, organisation=org)
    db.session.commit()
    auth.sign_in(person.email)
    return person


def row_value(page: str, row: int) -> str | None:
    """The value of a skill row's text input on the page."""
    tag = re.search(rf'<input[^>]*name="skills-{row}-skill"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else None


def need_form(leader, **changes) -> dict:
    data = {
        "title": "Retrieval for claims",
        "team_id": leader.organisation.teams[0].id,
        "goal_id": 0,
        "description": "We build RAG pipelines and run AI literacy training for the claims team.",
        "intent": "augment",
        "learning_goals": "Own the pipeline.",
        "skills-0-skill": "sql serveur",
        "skills-0-weight": "3",
    }
    return data | changes


def test_a_skill_the_taxonomy_does_not_know_is_kept_and_did_you_mean_offered(client, leader):
    page = client.post("/needs/new", data=need_form(leader) | {"suggest_skills": "1"}).get_data(as_text=True)
    assert 'value="sql serveur"' in page
    assert 'name="use_skill" value="0|SQL Server"' in page
    assert db.session.scalar(select(Need)) is None  # a help button never saves


def test_did_you_mean_puts_the_skill_into_its_row(client, leader):
    page = client.post("/needs/new", data=need_form(leader) | {"use_skill": "0|SQL Server"}).get_data(as_text=True)
    assert row_value(page, 0) == "SQL Server"


def test_skills_are_read_from_the_text_and_added_only_when_chosen(client, leader):
    page = client.post("/needs/new", data=need_form(leader) | {"suggest_skills": "1"}).get_data(as_text=True)
    assert 'name="add_skill" value="retrieval-augmented generation"' in page
    assert 'name="add_skill" value="AI literacy training"' in page
    assert "from “RAG" in page
    added = client.post("/needs/new", data=need_form(leader) | {"add_skill": "AI literacy training"}).get_data(
        as_text=True
    )
    assert row_value(added, 1) == "AI literacy training"
    assert 'name="add_skill" value="AI literacy training"' not in added  # chosen: no longer offered


def test_a_dismissed_suggestion_stays_away(client, leader):
    page = client.post("/needs/new", data=need_form(leader) | {"dismiss_skill": "urn:tandem:skill:ai:rag"}).get_data(
        as_text=True
    )
    assert 'name="add_skill" value="retrieval-augmented generation"' not in page
    assert 'name="dismissed_skills" value="urn:tandem:skill:ai:rag"' in page


def test_the_preview_sends_suggestions_out_of_band(client, leader):
    page = client.post("/needs/preview", data=need_form(leader), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="skill-suggestions"' in page and 'hx-swap-oob="true"' in page
    assert 'value="retrieval-augmented generation"' in page


def test_saving_maps_what_the_taxonomy_knows_and_reports_the_rest(client, leader):
    response = client.post(
        "/needs/new", data=need_form(leader) | {"skills-1-skill": "RAG", "skills-1-weight": "2"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    need = db.session.scalar(select(Need))
    assert [(s.label, s.skill.uri if s.skill else None) for s in need.skills] == [
        ("sql serveur", None),
        ("retrieval-augmented generation", "urn:tandem:skill:ai:rag"),
    ]
    assert "“sql serveur” (did you mean “SQL Server”?)" in page


def test_a_freelancer_gets_the_same_help_on_the_profile(client, app, taxonomy, auth):
    profile = factories.ProfileFactory(headline="RAG engineer", skill_labels=())
    db.session.commit()
    auth.sign_in(profile.user.email)
    data = {
        "headline": "RAG engineer",
        "bio": "I run AI literacy training for teams.",
        "ai_stance": "augment",
        "ai_usage": "",
        "visibility": "public",
        "skills-0-skill": "",
        "skills-0-weight": "3",
    }
    chips = client.post("/profile/skill-suggestions", data=data, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in chips and 'value="AI literacy training"' in chips
    page = client.post("/profile/edit", data=data | {"add_skill": "AI literacy training"}).get_data(as_text=True)
    assert row_value(page, 0) == "AI literacy training"


def test_autocomplete_offers_names_then_meaning(client, leader):
    options = client.get("/skills/suggest?q=sql").get_data(as_text=True)
    assert options.startswith('<option value="SQL Server">') and "coach employees" not in options
    assert 'value="retrieval-augmented generation"' in client.get("/skills/suggest?q=RAG").get_data(as_text=True)


@pytest.mark.parametrize(
    "text", ["", " " * 50, "🚀🔥", "x" * 5000, "Ανάλυση δεδομένων", "机器学习", "تعلم الآلة", "C++", "C#", ".NET"]
)
def test_any_skill_text_is_kept_or_refused_clearly_never_a_500(client, leader, text):
    response = client.post("/needs/new", data=need_form(leader, **{"skills-0-skill": text}))
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert (
            "at most 255" in response.get_data(as_text=True).lower()
            or "field" in response.get_data(as_text=True).lower()
        )
