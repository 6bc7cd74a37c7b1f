"""The engagement table for other tools: CSV as filtered (escaped, formulas never injected) and
the versioned JSON endpoint with the same data."""

from __future__ import annotations

import csv
import io

import pytest

from tests import factories
from tests.factories.programs import TODAY, assessed, facts, program_world
from webapp.extensions import db
from webapp.programs import exports
from webapp.programs.outcomes import RoundResult


def parsed(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell):
    assert exports.neutralised(cell) == "'" + cell


def test_plain_text_and_our_own_numbers_are_left_as_they_are():
    assert exports.neutralised("Coach the team") == "Coach the team"
    assert exports.neutralised("a = b") == "a = b"
    assert exports.neutralised(-12.5) == -12.5 and exports.neutralised(None) is None


def test_csv_escapes_separators_and_neutralises_typed_text():
    risky = facts(
        1,
        need_title='=HYPERLINK("http://evil.example","click")',
        team="+Team, with a comma",
        freelancer='@Fred "the coach"',
        goal="-cut costs",
        status="active",
        rounds=(RoundResult(TODAY, 80.0, 3), RoundResult(TODAY, 67.5, 3)),
    )
    text = exports.csv_text(exports.records(assessed(risky), lambda id_: f"https://tandem.example/engagements/{id_}"))
    [row] = parsed(text)
    assert list(row) == list(exports.CSV_COLUMNS)
    assert row["need"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["team"] == "'+Team, with a comma" and row["freelancer"] == '\'@Fred "the coach"'
    assert row["goal"] == "'-cut costs"
    assert row["health_change"] == "-12.5" and row["connection_health"] == "67.5"  # a number stays a number
    assert row["url"] == "https://tandem.example/engagements/1"
    assert '"\'+Team, with a comma"' in text  # quoted because of the comma


def test_a_newline_in_a_title_stays_inside_its_cell():
    text = exports.csv_text(exports.records(assessed(facts(1, need_title="Line one\nline two")), str))
    [row] = parsed(text)
    assert row["need"] == "Line one\nline two"


def test_csv_export_follows_the_dashboards_filters_and_sort(client, auth, app):
    world = program_world()
    auth.sign_in(world.manager.email)
    response = client.get("/program/engagements.csv?status=active&sort=need&dir=asc")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="tandem-engagements-')
    rows = parsed(response.get_data(as_text=True))
    assert [row["need"] for row in rows] == ["Automate the ops report", "Pair with finance on forecasting"]
    quiet = rows[0]
    assert (quiet["status"], quiet["intent"], quiet["at_risk"]) == ("active", "automate", "yes")
    assert "No session in the last 20 days" in quiet["risk_reasons"]
    assert quiet["connection_health"] == "50.0" and quiet["health_change"] == "-50.0"
    assert quiet["url"] == f"http://localhost/engagements/{world.quiet.id}"


def test_a_title_typed_as_a_formula_reaches_the_csv_neutralised(client, auth, app):
    world = program_world()
    world.quiet.need.title = "=cmd|' /C calc'!A0"
    db.session.commit()
    auth.sign_in(world.manager.email)
    rows = parsed(client.get("/program/engagements.csv?intent=automate").get_data(as_text=True))
    assert [row["need"] for row in rows] == ["'=cmd|' /C calc'!A0"]


def test_the_json_endpoint_has_a_version_and_the_same_rows(client, auth, app):
    world = program_world()
    auth.sign_in(world.manager.email)
    data = client.get("/api/v1/program/engagements?sort=need&dir=asc").get_json()
    assert data["version"] == 1 and data["count"] == 3 and data["sort"] == {"by": "need", "descending": False}
    csv_rows = parsed(client.get("/program/engagements.csv?sort=need&dir=asc").get_data(as_text=True))
    assert [e["id"] for e in data["engagements"]] == [int(row["id"]) for row in csv_rows]
    completed = next(e for e in data["engagements"] if e["id"] == world.completed.id)
    assert completed["need"] == {"id": world.completed.need_id, "title": "Coach the ops team on triage prompts"}
    assert completed["team"]["id"] == world.operations.id and completed["goal"]["id"] == world.goal.id
    assert completed["knowledge_transfer"] == {
        "share": 0.75,
        "levels_closed": 3,
        "levels_gap": 4,
        "items_assessed": 2,
        "items": 2,
    }
    assert completed["connection_health"] == {"last": 100.0, "previous": 75.0, "change": 25.0}
    assert completed["outcome_rating"] == 4 and completed["at_risk"] is False and completed["risk_reasons"] == []


def test_the_json_endpoint_takes_the_filters_and_refuses_bad_ones(client, auth, app):
    world = program_world()
    auth.sign_in(world.manager.email)
    data = client.get(f"/api/v1/program/engagements?team={world.finance.id}").get_json()
    assert data["filters"] == {"team": str(world.finance.id)} and data["count"] == 1
    refused = client.get("/api/v1/program/engagements?since=yesterday")
    assert refused.status_code == 400 and "since" in refused.get_json()["errors"]


def test_exports_show_a_leader_only_their_teams(client, auth, app):
    world = program_world()
    auth.sign_in(world.finance_leader.email)
    data = client.get("/api/v1/program/engagements").get_json()
    assert [e["id"] for e in data["engagements"]] == [world.finance_work.id]
    rows = parsed(client.get("/program/engagements.csv").get_data(as_text=True))
    assert [int(row["id"]) for row in rows] == [world.finance_work.id]


def test_exports_need_a_session_and_a_reviewing_role(client, auth, app):
    program_world()
    anonymous = client.get("/api/v1/program/engagements")
    assert anonymous.status_code == 401 and anonymous.get_json()["status"] == 401
    assert client.get("/program/engagements.csv").status_code == 302  # a page: to the sign-in page
    freelancer = factories.ProfileFactory()
    db.session.commit()
    auth.sign_in(freelancer.user.email)
    refused = client.get("/api/v1/program/engagements")
    assert refused.status_code == 403 and "error" in refused.get_json()
    assert client.get("/program/engagements.csv").status_code == 403
