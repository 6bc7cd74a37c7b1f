"""Output escaping, in Chromium: every text a person can write holds script and attribute-breaking
payloads, and every page that shows them runs no script, gains no element, breaks no CSP rule,
and shows the payload as the text it is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.actions import sign_in
from tests.factories import worlds
from webapp.extensions import db
from webapp.models import ShortlistEntry

pytestmark = pytest.mark.browser
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"><svg onload=alert(3)>'><svg onload=alert(4)>"
SEEN = "<script>alert(1)</script>"
# Words that give the profile an augmentation focus with evidence, so the evidence is shown too.
COACHING = " I coach the team and pair with analysts so people stay in the loop."


def write(field: str) -> str:
    return f"{PAYLOAD} {field}" + (COACHING if field in ("bio", "ai usage") else "")


def seed() -> worlds.Side:
    side = worlds.build_side("x", write)
    db.session.add(ShortlistEntry(need_id=side.need.id, profile_id=side.profile.id, added_by_id=side.leader.id))
    db.session.commit()
    return side


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def assert_inert(page, where: str) -> None:
    """Nothing injected ran or landed in the page, and the payload reads as text."""
    assert page.locator("img[src='x'], svg[onload], [onerror], [onload]").count() == 0, where
    assert page.locator("script:not([src])").count() == 0, where
    expect(page.locator("main")).to_contain_text(SEEN)
    assert page.dialogs == [], f"{where}: {page.dialogs}"
    assert page.csp_reports == [], f"{where}: {page.csp_reports}"


def visit(page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert_inert(page, path)


@pytest.fixture
def watched(page):
    page.csp_reports = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and page.csp_reports.append(message.text)
    )
    return page


def test_every_page_shows_written_payloads_as_text(watched):
    page, side = watched, seed()
    need, profile, active, finished = side.need.id, side.profile.id, side.engagement.id, side.finished.id

    sign_in(page, side.freelancer.email)
    visit(
        page,
        [
            "/needs-for-me",
            "/profile",
            "/profile/edit",
            f"/opportunities/{need}",
            "/my-invitations",
            f"/my-invitations/{side.invitation.id}/decline",
            "/engagements/",
            f"/engagements/{active}",
            f"/engagements/{finished}",
            "/search?q=" + PAYLOAD,
            "/profile/delete",
        ],
    )
    page.goto("/profile")
    assert page.locator("#augmentation .evidence li").count() > 0  # quoted from the payload-laden bio
    assert_inert(page, "/profile with evidence")
    sign_out(page)

    sign_in(page, side.leader.email)
    visit(
        page,
        [
            "/needs/",
            f"/needs/{need}",
            f"/needs/{need}/matches",
            f"/needs/{need}/compare",
            f"/needs/{need}/invitations",
            f"/needs/{need}/invite/{profile}",
            "/engagements/",
            f"/engagements/{active}",
            f"/engagements/{finished}",
            "/search?q=" + PAYLOAD,
            "/program",
            f"/freelancers/{profile}?need={need}",
            f"/engagements/{finished}/timeline?kind=plan",
        ],
    )
    page.goto(f"/needs/{need}/edit")
    page.get_by_label("What the team does and what it needs").press_sequentially(" more")
    expect(page.locator("#preview")).to_contain_text(SEEN)  # the live preview, swapped in by htmx
    assert_inert(page, "need edit with preview")
    page.goto(f"/engagements/{active}")
    page.get_by_role("button", name="Close this round now").click()
    page.get_by_role("button", name="Open a check-in round").click()
    expect(page.locator("main")).to_contain_text(write("member 0"))  # the links page names each member
    assert_inert(page, "check-in links")
    sign_out(page)

    sign_in(page, side.manager.email)
    visit(page, ["/program", f"/engagements/{finished}", f"/needs/{need}"])


def test_typed_payloads_come_back_as_values_not_markup(watched):
    page = watched
    page.goto("/signup")
    page.get_by_label("Your name").fill(PAYLOAD)
    page.get_by_label("E-mail").fill("someone@example.org")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_label("Your name")).to_have_value(PAYLOAD)
    assert page.locator("img[src='x'], svg[onload]").count() == 0 and page.dialogs == [] and page.csp_reports == []
