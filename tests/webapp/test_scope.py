"""Scope inside an organisation: leaders act on the teams they lead, program managers see
everything. One rule for needs, engagements, check-ins, the dashboard, its CSV and its JSON."""

from __future__ import annotations

from tests import factories
from tests.factories import engagement_world
from webapp.extensions import db
from webapp.models import EngagementStatus, Team


def other_team_leader(world):
    """A leader of the same organisation who leads another team."""
    team = Team(organisation=world.org, name="Finance")
    leader = factories.UserFactory(
        leader=True, organisation=world.org, email=f"finance{world.org.id}@example.org", name="Fin Leader", leads=False
    )
    team.leaders.append(leader)
    db.session.add(team)
    db.session.commit()
    return leader


def test_a_leader_of_another_team_can_neither_see_nor_act_on_this_teams_work(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    other = other_team_leader(world)
    auth.sign_in(other.email)
    need, engagement = world.need.id, world.engagement.id
    for url in (
        f"/needs/{need}",
        f"/needs/{need}/edit",
        f"/needs/{need}/matches",
        f"/needs/{need}/invitations",
        f"/engagements/{engagement}",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/needs/{need}/status", {"status": "paused"}),
        (f"/engagements/{engagement}/status", {"status": "cancelled"}),
        (f"/engagements/{engagement}/checkins", {"round-days": "7"}),
    ):
        assert client.post(url, data=data).status_code == 404, url
    listing = client.get("/needs/").get_data(as_text=True) + client.get("/engagements/").get_data(as_text=True)
    assert world.need.title not in listing
    assert world.need.title not in client.get("/program").get_data(as_text=True)
    assert world.need.title not in client.get("/program/engagements.csv").get_data(as_text=True)
    assert client.get("/api/v1/program/engagements").json["count"] == 0
    form = client.get("/needs/new").get_data(as_text=True)
    assert ">Finance</option>" in form and ">Operations</option>" not in form  # only teams they lead


def test_the_leader_of_the_team_and_the_program_manager_see_it_all(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE)
    other_team_leader(world)
    for person in (world.leader, world.manager):
        auth.sign_in(person.email)
        assert client.get(f"/engagements/{world.engagement.id}").status_code == 200
        assert client.get("/api/v1/program/engagements").json["count"] == 1
        auth.sign_out()
    auth.sign_in(world.leader.email)
    assert client.get(f"/needs/{world.need.id}/edit").status_code == 200
