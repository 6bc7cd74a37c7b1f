"""The exposure report: aggregate counts per page view, no per-user tracking, 90 days kept."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from webapp.extensions import db
from webapp.matches import exposure
from webapp.models import ExposureCount


def setup(auth):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email=f"lead{org.id}@example.org")
    manager = factories.UserFactory(program_manager=True, organisation=org, email=f"pm{org.id}@example.org")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Coach our analysts in data analytics",
        skill_labels=("data analytics",),
    )
    factories.ProfileFactory(
        headline="Data analytics coach", skill_labels=("data analytics",), timezone="Europe/Berlin"
    )
    factories.ProfileFactory(
        headline="Data analytics mentor", skill_labels=("data analytics",), timezone="America/Chicago"
    )
    db.session.commit()
    return org, leader, manager, need


def test_a_match_page_view_adds_aggregate_counts_only(client, auth, app):
    org, leader, manager, need = setup(auth)
    auth.sign_in(leader.email)
    assert client.get(f"/needs/{need.id}/matches").status_code == 200
    client.get(f"/needs/{need.id}/matches?page=2")  # later pages are not top ten
    exposure.flush()
    rows = {(r.dimension, r.bucket): r.count for r in db.session.scalars(select(ExposureCount))}
    assert rows[("views", "all")] == 1
    assert rows[("record", "none")] == 2 and rows[("region", "Europe")] == 1 and rows[("region", "America")] == 1
    assert set(ExposureCount.__table__.columns.keys()) == {
        "id",
        "organisation_id",
        "day",
        "dimension",
        "bucket",
        "count",
    }


def test_counts_older_than_90_days_are_deleted(app):
    org = factories.OrganisationFactory()
    db.session.add(
        ExposureCount(
            organisation_id=org.id, day=date.today() - timedelta(days=91), dimension="views", bucket="all", count=5
        )
    )
    db.session.commit()
    leader = factories.UserFactory(leader=True, organisation=org)
    need = factories.NeedFactory(organisation=org, created_by=leader)
    db.session.commit()
    exposure.log_top(need, [], {})
    exposure.flush()
    days = list(db.session.scalars(select(ExposureCount.day)))
    assert days == [date.today()]


def test_program_manager_sees_shares_against_candidates(client, auth, app):
    org, leader, manager, need = setup(auth)
    auth.sign_in(leader.email)
    client.get(f"/needs/{need.id}/matches")
    auth.sign_out()
    auth.sign_in(manager.email)
    page = client.get("/program/exposure")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 match-page views" in html
    assert "No record" in html and "Europe" in html and "TANDEM_NEWCOMER_FLOOR=10" in html


def test_leaders_and_freelancers_do_not_see_the_report(client, auth, app):
    org, leader, manager, need = setup(auth)
    auth.sign_in(leader.email)
    assert client.get("/program/exposure").status_code == 403
