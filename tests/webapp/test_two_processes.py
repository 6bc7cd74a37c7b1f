"""Two real web processes on one database: a profile edited through one is ranked with its new
text by the other on its next query, and a need changed elsewhere is read anew by a process that
kept its card (the IndexChange sequence, not a shared file, carries both)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests import factories
from webapp.extensions import db

from .processes import Browser, gunicorn, tandem_env

# The gunicorn processes read what the test wrote on their own connections.
pytestmark = [pytest.mark.slow, pytest.mark.commits]


@pytest.fixture
def two_processes(app, database_url, tmp_path):
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                gunicorn(tandem_env(database_url, tmp_path / f"index-{name}"), tmp_path / f"gunicorn-{name}.log")
            )
            for name in ("a", "b")
        ]


def test_a_profile_edited_through_one_process_is_ranked_anew_by_the_other(app, two_processes):
    org = factories.OrganisationFactory()
    leader_account = factories.UserFactory(leader=True, organisation=org, email="lead@example.org")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader_account,
        title="Coach our analysts in data analytics",
        description="Analysts build weekly reports and want to analyse data with AI.",
    )
    newcomer = factories.ProfileFactory(headline="", skill_labels=())  # nothing to rank on yet
    factories.ProfileFactory(headline="Pastry chef for weddings", skill_labels=("bake pastries",))
    db.session.commit()
    first, second = two_processes

    leader = Browser(second)
    assert leader.sign_in("lead@example.org", factories.PASSWORD) == 200  # redirects followed
    status, before = leader.get(f"/needs/{need.id}/matches")
    assert status == 200 and "Pastry chef for weddings" in before  # the other process has built its index
    assert "Data analytics coach" not in before

    freelancer = Browser(first)
    assert freelancer.sign_in(newcomer.user.email, factories.PASSWORD) == 200  # redirects followed
    freelancer.get("/profile/edit")
    assert (
        freelancer.post(
            "/profile/edit",
            {
                "headline": "Data analytics coach who pairs with analysts",
                "bio": "I coach analysts.",
                "skills-0-skill": "data analytics",
                "skills-0-weight": "4",
                "ai_stance": "augment",
                "ai_usage": "I pair with analysts.",
                "hourly_rate": "90",
                "weekly_hours": "20",
                "timezone": "",
                "visibility": "public",
            },
        )[0]
        == 200
    )  # back on the profile page

    after = leader.get(f"/needs/{need.id}/matches")[1]
    first_candidate = after.split('class="candidate card"')[1]
    assert "Data analytics coach who pairs with analysts" in first_candidate


def test_a_need_changed_elsewhere_is_read_anew_by_a_process_that_kept_its_card(app, two_processes):
    org = factories.OrganisationFactory()
    need = factories.NeedFactory(
        organisation=org,
        created_by=factories.UserFactory(leader=True, organisation=org),
        title="Coach our analysts in data analytics",
        skill_labels=("data analytics", "forecasting"),
    )
    coach = factories.ProfileFactory(headline="Data analytics coach", skill_labels=("data analytics",))
    db.session.commit()
    freelancer = Browser(two_processes[0])
    assert freelancer.sign_in(coach.user.email, factories.PASSWORD) == 200
    status, before = freelancer.get("/needs-for-me")
    assert status == 200 and "forecasting" in before  # wanted, and not on the profile

    need.skills = [skill for skill in need.skills if skill.label == "data analytics"]
    db.session.commit()  # as another process would: the change sequence carries it
    after = freelancer.get("/needs-for-me")[1]
    assert "Coach our analysts in data analytics" in after and "forecasting" not in after
