"""Organisations, accounts and freelancer profiles."""

from __future__ import annotations

import secrets

import factory

from tests.factories.base import PASSWORD_HASH, Factory
from webapp.extensions import db
from webapp.models import CompanyGoal, FreelancerProfile, Organisation, ProfileSkill, Role, Team, User, Visibility


class OrganisationFactory(Factory):
    """An organisation with one team (Operations) and one goal."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Org {n}")
    teams = factory.LazyFunction(lambda: [Team(name="Operations")])
    goals = factory.LazyFunction(lambda: [CompanyGoal(title="Faster customer answers")])


class UserFactory(Factory):
    """A freelancer's account unless a trait says otherwise. A leader leads their organisation's
    first team, unless built with `leads=False`."""

    class Meta:
        model = User

    class Params:
        leader = factory.Trait(role=Role.LEADER, organisation=factory.SubFactory(OrganisationFactory))
        program_manager = factory.Trait(role=Role.PROGRAM_MANAGER, organisation=factory.SubFactory(OrganisationFactory))
        admin = factory.Trait(role=Role.ADMIN, organisation=factory.SubFactory(OrganisationFactory))

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = "Test Person"
    role = Role.FREELANCER
    password_hash = PASSWORD_HASH
    session_token = factory.LazyFunction(lambda: secrets.token_hex(16))
    organisation = None

    @factory.post_generation
    def leads(user: User, create: bool, leads: bool | None, **kwargs) -> None:
        org = user.organisation
        if user.role is Role.LEADER and org is not None and org.teams and leads is not False:
            org.teams[0].leaders.append(user)
            if create:
                db.session.flush()


class ProfileFactory(Factory):
    """A public freelancer profile with one skill, on an account of its own."""

    class Meta:
        model = FreelancerProfile

    class Params:
        skill_labels = ("data analytics",)
        hidden = factory.Trait(visibility=Visibility.HIDDEN)
        inviting_only = factory.Trait(visibility=Visibility.INVITING_ORGANISATIONS)

    user = factory.SubFactory(UserFactory)
    headline = "Data coach"
    skills = factory.LazyAttribute(
        lambda profile: [ProfileSkill(label=label, level=3, position=i) for i, label in enumerate(profile.skill_labels)]
    )
