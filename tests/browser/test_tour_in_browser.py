"""The README's five-minute tour on the seeded demo, in Chromium, at desktop (1280×800) and phone
(390×844) sizes: every key page of every role is opened, checked by the watch (axe, CSP, script
errors) and saved as a screenshot under test-artifacts/screenshots/tour/, which the run prints."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests import outbox
from tests.browser.actions import sign_in, sign_out
from webapp.demo.seed import seed_demo
from webapp.engagements.checkins import services as checkins
from webapp.extensions import db
from webapp.models import Engagement, EngagementStatus, FreelancerProfile, ItemKind, Need, NeedStatus, User
from webapp.search.indexes import build_fresh

pytestmark = pytest.mark.browser
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo(app):
    leader, manager, freelancer, *_others = seed_demo(profiles=80, needs=32)
    accounts = {"leader": leader, "program_manager": manager, "freelancer": freelancer}
    for kind in ItemKind:
        build_fresh(kind)
    return accounts


def engagement_of(status: EngagementStatus, email: str | None = None) -> Engagement:
    query = select(Engagement).where(Engagement.status == status).order_by(Engagement.id)
    if email:
        query = query.join(Engagement.profile).join(FreelancerProfile.user).where(User.email == email)
    return db.session.scalars(query).first()


def check_in_link(engagement: Engagement) -> str:
    """A fresh round's link, as a team member finds it in their e-mail."""
    for existing in engagement.checkin_rounds:
        existing.closes_at = min(existing.closes_at, existing.opened_at)
    db.session.commit()
    outbox.clear()
    checkins.open_round(engagement, actor=engagement.need.team.leaders[0])
    return f"/checkin/{next(iter(outbox.checkin_tokens().values()))}"


def test_the_tour_of_every_role_with_screenshots(watched_context, demo, screenshot_dir):
    sofia = demo["freelancer"]
    active = engagement_of(EngagementStatus.ACTIVE, sofia.email)
    completed = engagement_of(EngagementStatus.COMPLETED)
    need = db.session.scalars(
        select(Need)
        .where(Need.status == NeedStatus.OPEN, Need.organisation_id == active.need.organisation_id)
        .order_by(Need.id)
    ).first()
    for size, viewport in SIZES.items():
        folder = screenshot_dir / "tour" / size
        folder.mkdir(parents=True, exist_ok=True)
        page = watched_context(viewport=viewport).new_page()
        take_the_tour(
            page,
            demo,
            lambda name, page=page, folder=folder: page.screenshot(path=folder / f"{name}.png", full_page=True),
            active=active,
            completed=completed,
            need=need,
            link=check_in_link(active),
        )


def take_the_tour(page, demo, shot, *, active, completed, need, link) -> None:
    page.goto("/")
    shot("01-landing")
    sofia = demo["freelancer"]

    sign_in(page, demo["leader"].email, demo["leader"].password)
    expect(page.locator("#needs-table tbody tr").first).to_be_visible()
    shot("10-leader-home")
    page.goto(f"/needs/{need.id}/matches")
    expect(page.locator(".candidate").first).to_be_visible()
    shot("11-leader-candidates")
    page.locator(".candidate h2 a").first.click()
    expect(page.locator("#skills")).to_be_visible()
    shot("12-leader-freelancer-profile")
    page.goto("/search?q=" + "coach who pairs support agents with AI assistants")
    shot("13-leader-search")
    page.goto(f"/engagements/{active.id}")
    shot("14-leader-engagement")
    page.goto(f"/engagements/{active.id}/plan/final-levels#plan")
    shot("15-leader-set-all-final-levels")
    page.goto("/needs/new")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".error-summary")).to_be_visible()
    shot("16-leader-need-form-errors")
    sign_out(page)

    sign_in(page, sofia.email, sofia.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs for me")
    shot("20-freelancer-needs-for-me")
    page.goto("/my-invitations")
    shot("21-freelancer-invitations")
    page.goto("/profile")
    shot("22-freelancer-profile")
    page.goto(f"/engagements/{active.id}")
    shot("23-freelancer-engagement")
    sign_out(page)

    sign_in(page, demo["program_manager"].email, demo["program_manager"].password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("outcomes")
    shot("30-program-manager-outcomes")
    page.goto(f"/engagements/{completed.id}")
    shot("31-program-manager-engagement-record")
    sign_out(page)

    page.goto(link)
    expect(page.locator(".checkin-about")).to_contain_text(active.need.title)
    shot("40-team-member-check-in")
