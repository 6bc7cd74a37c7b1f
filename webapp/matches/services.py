"""The use cases behind a need's match pages: what the ranked list, the compare page and the
invitations list show, gathered from the areas that own each part."""

from __future__ import annotations

from dataclasses import dataclass

from ..invitations import services as invitations
from ..models import FreelancerProfile, Invitation, Need, User
from ..needs.services import interested_profile_ids, need_in_organisation
from ..scope import visible_profiles
from ..search.ranking import CandidateFilters, RankedPage, candidates_for_need
from . import exposure


@dataclass(frozen=True)
class MatchList:
    need: Need
    page: RankedPage
    shortlisted: set[int]
    interested: set[int]


def match_list(viewer: User, need_id: int, filters: CandidateFilters) -> MatchList:
    """The need's candidates for the viewer, a first page counted in the exposure report."""
    need = need_in_organisation(viewer, need_id)
    page = candidates_for_need(need, filters, viewer=viewer)
    if page.page == 1 and page.matches:
        exposure.log_top(need, page.matches, page.rows)
    return MatchList(need, page, invitations.shortlisted_ids(need), interested_profile_ids(need))


def need_invitations(viewer: User, need: Need) -> tuple[list[Invitation], dict[int, FreelancerProfile]]:
    """The invitations sent for the need, and which of their profiles the viewer may see."""
    rows = invitations.invitations_of_need(need)
    return rows, visible_profiles(viewer, {invitation.profile_id: invitation.profile for invitation in rows})
