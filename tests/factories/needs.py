"""Needs, posted by a leader for their organisation's first team."""

from __future__ import annotations

import factory

from tests.factories.base import Factory
from tests.factories.people import OrganisationFactory, UserFactory
from webapp.extensions import db
from webapp.models import Intent, Need, NeedSkill, NeedStatus, Role, Skill


class NeedFactory(Factory):
    """An open need with one skill, for the first team and goal of its organisation; the leader
    who posts it leads that team."""

    class Meta:
        model = Need

    class Params:
        skill_labels = ("data analytics",)
        draft = factory.Trait(status=NeedStatus.DRAFT)
        paused = factory.Trait(status=NeedStatus.PAUSED)
        closed = factory.Trait(status=NeedStatus.CLOSED)
        automate = factory.Trait(intent=Intent.AUTOMATE)

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, leader=True, organisation=factory.SelfAttribute("..organisation"))
    team = factory.LazyAttribute(lambda need: need.organisation.teams[0])
    goal = factory.LazyAttribute(lambda need: need.organisation.goals[0])
    title = "Help the ops team use AI"
    description = "Our team answers customer questions."
    intent = Intent.AUGMENT
    status = NeedStatus.OPEN
    skills = factory.LazyAttribute(
        lambda need: [NeedSkill(label=label, importance=2, position=i) for i, label in enumerate(need.skill_labels)]
    )

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        leader, team = kwargs["created_by"], kwargs["team"]
        if leader.role is Role.LEADER and leader not in team.leaders:
            team.leaders.append(leader)  # a leader posts needs for a team they lead
        return super()._save(model_class, session, args, kwargs)


def need_form(org, **overrides) -> dict:
    """What the need form posts for a full need of `org`'s first team and goal: one skill the
    taxonomy knows (with signed_in_leader's skill), one it does not."""
    data = {
        "title": "Help support agents work with an AI assistant",
        "description": "Our support team answers 2,000 tickets a week and wants AI drafting that agents trust.",
        "team_id": str(org.teams[0].id),
        "goal_id": str(org.goals[0].id),
        "intent": "augment",
        "skills-0-skill": "Coaching techniques",
        "skills-0-weight": "3",
        "skills-1-skill": "xyzzy frobnication",
        "skills-1-weight": "1",
        "learning_goals": "By the end agents review and correct AI drafts on their own.",
        "duration_weeks": "8",
        "hours_per_week": "10",
        "budget_min": "80",
        "budget_max": "120",
        "timezone": "Europe/Berlin",
        "remote": "y",
        "internal_notes": "Budget approved by finance.",
    }
    return data | overrides


def signed_in_leader(auth, org=None):
    """A leader of `org` (or of a new organisation), signed in, with the taxonomy knowing
    "coaching techniques"; committed. Returns (organisation, leader)."""
    org = org or OrganisationFactory()
    leader = UserFactory(leader=True, organisation=org, email=f"leader{org.id}@example.org")
    db.session.add(
        Skill(uri="http://data.europa.eu/esco/skill/coach", label="coaching techniques", alt_labels=["coaching"])
    )
    db.session.commit()
    auth.sign_in(leader.email)
    return org, leader
