"""A need's augment lean read from its own words: shown while typing, used when the leader states
no intent, said on the need page, and overridden by a stated intent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Intent, Need
from webapp.search.docs import need_doc

from .. import factories

AUGMENTING = (
    "Teach our adjusters to review the model's suggestions, not cut the team. "
    "We want workshops and coaching so the adjusters make the final call."
)


@pytest.fixture
def leader(app, auth):
    org = factories.OrganisationFactory()
    person = factories.UserFactory(leader=True, organisation=org)
    db.session.commit()
    auth.sign_in(person.email)
    return person


def form(leader, **changes) -> dict:
    return {
        "title": "Claims copilot",
        "team_id": leader.organisation.teams[0].id,
        "goal_id": 0,
        "description": AUGMENTING,
        "intent": "derived",
        "learning_goals": "Own the review themselves.",
    } | changes


def test_a_need_with_no_stated_intent_is_ranked_with_the_lean_of_its_words(client, leader):
    page = client.post("/needs/new", data=form(leader), follow_redirects=True).get_data(as_text=True)
    need = db.session.scalar(select(Need))
    assert need.intent is Intent.DERIVED and need.augment_lean > 0.7
    assert {e["text"].lower() for e in need.lean_evidence} >= {"coaching", "workshops"}
    assert need_doc(need).augment_intent == need.augment_lean
    assert "As its description reads: leans to augmenting people" in page
    assert "Ranked with this lean because no other answer was chosen" in page


def test_a_stated_intent_overrides_the_lean_of_the_words(client, leader):
    client.post("/needs/new", data=form(leader, intent="automate"))
    need = db.session.scalar(select(Need))
    assert need.augment_lean > 0.7  # still read, and shown on the form as a suggestion
    assert need_doc(need).augment_intent == 0.0


def test_the_lean_is_shown_while_the_need_is_written(client, leader):
    page = client.post("/needs/preview", data=form(leader), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="need-lean"' in page and 'hx-swap-oob="true"' in page
    assert "leans to augmenting people" in page and "“coaching”" in page
    mixed = client.post(
        "/needs/preview",
        headers={"HX-Request": "true"},
        data=form(leader, description="Automate the reports, coach the team."),
    ).get_data(as_text=True)
    assert "augmenting because of" in mixed and "automating because of" in mixed


@pytest.mark.parametrize(
    "text",
    [
        "We need a data warehouse in Snowflake by June, please.",
        "Καλύτερη ανάλυση δεδομένων για την ομάδα μας, παρακαλώ.",
    ],
)
def test_words_with_no_lean_leave_the_need_neutral(client, leader, text):
    client.post(
        "/needs/new", data=form(leader, title="Data warehouse", description=text, learning_goals="Run the warehouse.")
    )
    assert db.session.scalar(select(Need)).augment_lean == 0.5


@pytest.mark.parametrize("bad", ["7", "NaN", "0.7", "", "augmented"])
def test_an_intent_that_is_none_of_the_answers_is_refused_clearly(client, leader, bad):
    response = client.post("/needs/new", data=form(leader, intent=bad))
    assert response.status_code == 422
    assert "Choose" in response.get_data(as_text=True)
    assert db.session.scalar(select(Need)) is None


def test_a_very_long_description_is_refused_with_its_limit_and_nothing_is_lost(client, leader):
    response = client.post("/needs/new", data=form(leader, description="coach the team " * 700))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "5000" in page and "coach the team coach the team" in page


def test_a_need_is_counted_on_the_dashboard_under_the_side_its_words_lean_to():
    from webapp.models.needs import leaning

    assert leaning(Intent.DERIVED, 0.8) is Intent.AUGMENT and leaning(Intent.DERIVED, 0.2) is Intent.AUTOMATE
    assert leaning(Intent.DERIVED, 0.5) is Intent.BALANCED and leaning(Intent.DERIVED, None) is Intent.BALANCED
    assert leaning(Intent.AUTOMATE, 0.9) is Intent.AUTOMATE  # a stated intent stands


def test_a_firm_budget_leaves_everyone_above_it_out_and_a_soft_one_marks_them(client, leader):
    pricey = factories.ProfileFactory(headline="Claims copilot coach for adjusters", skill_labels=(), hourly_rate=250)
    db.session.commit()
    client.post("/needs/new", data=form(leader, budget_max="100"))
    need = db.session.scalar(select(Need))
    soft = client.get(f"/needs/{need.id}/matches").get_data(as_text=True)
    assert pricey.headline in soft and "Over budget" in soft
    client.post(f"/needs/{need.id}/edit", data=form(leader, budget_max="100", budget_firm="y"))
    firm = client.get(f"/needs/{need.id}/matches").get_data(as_text=True)
    assert pricey.headline not in firm
    assert "firm: nobody above it is shown" in client.get(f"/needs/{need.id}").get_data(as_text=True)
