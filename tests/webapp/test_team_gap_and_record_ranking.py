"""Team-gap matching and the track record in the web app's ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories
from webapp.extensions import db
from webapp.freelancers import records
from webapp.models import Engagement, EngagementStatus, TeamMember, TransferPlanItem, utcnow
from webapp.profiles import account_deletion
from webapp.search.ranking import CandidateFilters, candidates_for_need
from webapp.search.team_gap import team_levels


def market(team_gap: bool = True):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email=f"lead{org.id}@example.org")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Evaluate our LLM support answers with SQL reports",
        skill_labels=("SQL", "LLM evaluation"),
        team_gap=team_gap,
    )
    sql = factories.ProfileFactory(headline="Data analyst", skill_labels=("SQL",))
    llm = factories.ProfileFactory(headline="Data analyst", skill_labels=("LLM evaluation",))
    member = TeamMember(team=need.team, name="Ana", email=f"ana{org.id}@example.org")
    earlier = Engagement(
        need=need, profile=sql, status=EngagementStatus.COMPLETED, completed_at=utcnow() - timedelta(days=200)
    )
    earlier.plan_items = [
        TransferPlanItem(skill_label="SQL", team_member=member, baseline_level=2, target_level=4, final_level=4)
    ]
    db.session.add_all([member, earlier])
    db.session.commit()
    return org, leader, need, sql, llm


def ranked(need, leader):
    page = candidates_for_need(need, CandidateFilters(), viewer=leader)
    return page, {m.id: m for m in page.matches}


def test_team_levels_come_from_earlier_plans(app):
    _, _, need, *_ = market()
    assert team_levels(need.team_id) == {"sql": 4}


def test_a_skill_the_team_holds_counts_less_and_the_card_says_so(client, auth, app):
    org, leader, need, sql, llm = market()
    page, matches = ranked(need, leader)
    assert page.team_gap == "Your team already has SQL; the gap is LLM evaluation."
    assert matches[llm.id].raw["skills"] > matches[sql.id].raw["skills"]
    auth.sign_in(leader.email)
    html = client.get(f"/needs/{need.id}/matches").get_data(as_text=True)
    assert "Your team already has SQL; the gap is LLM evaluation." in html


def test_the_leader_can_switch_team_gap_off(app):
    org, leader, need, sql, llm = market(team_gap=False)
    page, matches = ranked(need, leader)
    assert page.team_gap is None
    assert matches[llm.id].raw["skills"] == pytest.approx(matches[sql.id].raw["skills"])


def add_record(profile, need, n: int, rating: int):
    member = TeamMember(team=need.team, name=f"M{profile.id}", email=None)
    for _ in range(n):
        engagement = Engagement(
            need=need,
            profile=profile,
            status=EngagementStatus.COMPLETED,
            completed_at=utcnow() - timedelta(days=100),
            outcome_rating=rating,
        )
        engagement.plan_items = [
            TransferPlanItem(
                skill_label="Coaching",
                team_member=member,
                baseline_level=1,
                target_level=3,
                final_level=3 if rating > 3 else 1,
            )
        ]
        db.session.add(engagement)
    db.session.commit()
    records.forget_prior()


def test_record_is_a_ranking_part_and_newcomers_get_the_prior(app):
    org, leader, need, sql, llm = market(team_gap=False)
    add_record(sql, need, 5, rating=5)
    add_record(llm, need, 5, rating=1)
    newcomer = factories.ProfileFactory(headline="Data analyst", skill_labels=("SQL",))
    db.session.commit()
    _, matches = ranked(need, leader)
    assert matches[sql.id].parts["record"] > 1 > matches[llm.id].parts["record"]
    assert matches[newcomer.id].parts["record"] == 1.0


def test_deleting_an_account_removes_its_record_from_every_ranking_at_once(app):
    org, leader, need, sql, llm = market(team_gap=False)
    add_record(sql, need, 5, rating=5)
    _, matches = ranked(need, leader)
    assert sql.id in matches
    account_deletion.delete_account(sql.user, password="correct horse battery")
    _, matches = ranked(need, leader)
    assert sql.id not in matches
    assert records.records_for([sql.id])[sql.id].engagements == 0
