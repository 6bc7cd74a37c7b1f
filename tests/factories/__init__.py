"""Test data: factory_boy factories with named traits, and the worlds built from them.

Each factory adds its rows to the test's session and flushes, with defaults a test only names
when it matters to it:

    org = OrganisationFactory()                        # with a team, Operations, and a goal
    leader = UserFactory(leader=True, organisation=org)  # leads the organisation's first team
    profile = ProfileFactory(hidden=True, skill_labels=("SQL",))
    need = NeedFactory(organisation=org, created_by=leader, paused=True)
    engagement = EngagementFactory(need=need, profile=profile, active=True)

Worlds of many rows that several test modules share are built from these: engagement_world
(engagements.py), program_world (programs.py) and the whole product for one organisation (worlds.py).
"""

from tests.factories.base import PASSWORD, PASSWORD_HASH, quick_passwords
from tests.factories.engagements import (
    EngagementFactory,
    EngagementWorld,
    TeamMemberFactory,
    engagement_world,
    other_organisation_leader,
)
from tests.factories.needs import NeedFactory
from tests.factories.people import OrganisationFactory, ProfileFactory, UserFactory

__all__ = [
    "PASSWORD",
    "PASSWORD_HASH",
    "EngagementFactory",
    "EngagementWorld",
    "NeedFactory",
    "OrganisationFactory",
    "ProfileFactory",
    "TeamMemberFactory",
    "UserFactory",
    "engagement_world",
    "other_organisation_leader",
    "quick_passwords",
]
