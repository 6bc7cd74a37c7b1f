"""Ranked candidates, filters, shortlist, invitations and the freelancer's answers."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from tests import factories
from tests.pages import queries_of, statements_of
from webapp.extensions import db
from webapp.models import Engagement, Invitation, InvitationStatus, Need, NeedSkill, NeedStatus, Visibility, utcnow


def setup_market(auth):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email="lead@example.org")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Coach our analysts in data analytics with AI",
        description="Analysts build weekly reports; we want them pairing with AI on data analytics.",
        skill_labels=("data analytics",),
    )
    coach = factories.ProfileFactory(
        headline="Data analytics coach who pairs with analysts",
        skill_labels=("data analytics",),
        ai_usage="I coach teams and pair with analysts so they use AI themselves.",
        hourly_rate=90,
        weekly_hours=20,
        timezone="Europe/Berlin",
    )
    baker = factories.ProfileFactory(headline="Pastry chef", skill_labels=("bake pastries",), hourly_rate=40)
    hidden = factories.ProfileFactory(
        headline="Data analytics coach, hidden", skill_labels=("data analytics",), hidden=True
    )
    db.session.commit()
    auth.sign_in("lead@example.org")
    return need, coach, baker, hidden


def test_match_page_ranks_relevant_first_and_never_shows_hidden(client, auth):
    need, coach, baker, hidden = setup_market(auth)
    page = client.get(f"/needs/{need.id}/matches").get_data(as_text=True)
    assert coach.user.name in page and "Data analytics coach who pairs" in page
    assert page.index("Data analytics coach who pairs") < page.index("Pastry chef")
    # The hidden freelancer matches as well as the coach does, yet neither their words nor a link to them show.
    assert "Data analytics coach, hidden" not in page
    assert not re.search(rf"/(freelancers|invite)/{hidden.id}\b", page)
    assert re.search(rf"/freelancers/{coach.id}\b", page)
    assert "Has the skill asked for: data analytics" in page  # why, in plain words
    assert "Details of the score" in page and "raw" not in page


def test_filters_come_from_the_url_and_htmx_gets_a_fragment(client, auth):
    need, coach, baker, hidden = setup_market(auth)
    response = client.get(f"/needs/{need.id}/matches?max_rate=50", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "HX-Request" in response.headers.get("Vary", "")
    assert "Pastry chef" in body and "Data analytics coach who pairs" not in body
    bad = client.get(f"/needs/{need.id}/matches?max_rate=abc&min_augmentation=7")
    assert bad.status_code == 200 and b"Not a valid decimal value" in bad.data


def test_shortlist_twice_is_once_and_can_be_undone(client, auth):
    need, coach, *_ = setup_market(auth)
    for _ in range(2):
        client.post(f"/needs/{need.id}/shortlist/{coach.id}")
    compare = client.get(f"/needs/{need.id}/compare").get_data(as_text=True)
    assert compare.count("Invite</a>") == 1
    client.post(f"/needs/{need.id}/shortlist/{coach.id}", data={"shortlist": "remove"})
    assert b"Nobody shortlisted yet" in client.get(f"/needs/{need.id}/compare").data


def test_invitation_double_submit_is_refused_without_duplicate(client, auth):
    need, coach, *_ = setup_market(auth)
    first = client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Would love your help."})
    second = client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Would love your help."})
    assert first.status_code == 302 and second.status_code == 422
    assert b"already has a sent invitation" in second.data
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


def test_freelancer_accepts_and_a_proposed_engagement_exists(client, auth):
    need, coach, *_ = setup_market(auth)
    client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Join us"})
    auth.sign_out()
    auth.sign_in(coach.user.email)
    invitation = db.session.scalar(select(Invitation))
    assert b"Join us" in client.get("/my-invitations").data
    client.post(f"/my-invitations/{invitation.id}/accept")
    db.session.refresh(invitation)
    assert invitation.status is InvitationStatus.ACCEPTED
    assert db.session.scalar(select(Engagement)).invitation_id == invitation.id


def test_accepting_a_withdrawn_invitation_is_refused(client, auth):
    need, coach, *_ = setup_market(auth)
    client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Join us"})
    invitation = db.session.scalar(select(Invitation))
    client.post(f"/needs/{need.id}/invitations/{invitation.id}/withdraw")
    auth.sign_out()
    auth.sign_in(coach.user.email)
    page = client.post(f"/my-invitations/{invitation.id}/accept", follow_redirects=True)
    assert b"was withdrawn" in page.data
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == 0


def test_expired_invitation_cannot_be_accepted(client, auth):
    need, coach, *_ = setup_market(auth)
    client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Join us"})
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    auth.sign_out()
    auth.sign_in(coach.user.email)
    page = client.post(f"/my-invitations/{invitation.id}/accept", follow_redirects=True)
    assert b"was expired" in page.data
    db.session.refresh(invitation)
    assert invitation.status is InvitationStatus.EXPIRED


def test_decline_with_reason_is_shown_to_the_leader(client, auth):
    need, coach, *_ = setup_market(auth)
    client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Join us"})
    invitation = db.session.scalar(select(Invitation))
    auth.sign_out()
    auth.sign_in(coach.user.email)
    client.post(f"/my-invitations/{invitation.id}/decline", data={"reason": "Fully booked until May"})
    auth.sign_out()
    auth.sign_in("lead@example.org")
    assert b"Fully booked until May" in client.get(f"/needs/{need.id}/invitations").data


def test_freelancer_cannot_answer_someone_elses_invitation(client, auth):
    need, coach, baker, _ = setup_market(auth)
    client.post(f"/needs/{need.id}/invite/{coach.id}", data={"message": "Join us"})
    invitation = db.session.scalar(select(Invitation))
    auth.sign_out()
    auth.sign_in(baker.user.email)
    assert client.post(f"/my-invitations/{invitation.id}/accept").status_code == 404
    db.session.refresh(invitation)
    assert invitation.status is InvitationStatus.SENT


def test_needs_for_me_shows_goal_and_never_internal_notes(client, auth):
    need, coach, *_ = setup_market(auth)
    need.internal_notes = "SECRET-NOTE"
    db.session.commit()
    auth.sign_out()
    auth.sign_in(coach.user.email)
    listing = client.get("/needs-for-me").get_data(as_text=True)
    assert need.title in listing and need.goal.title in listing and "SECRET-NOTE" not in listing
    detail = client.get(f"/opportunities/{need.id}").get_data(as_text=True)
    assert "SECRET-NOTE" not in detail and need.goal.title in detail
    client.post(f"/opportunities/{need.id}/interest", data={"note": "Keen"})
    again = client.post(f"/opportunities/{need.id}/interest", data={"note": "Keen"}, follow_redirects=True)
    assert b"already said" in again.data


def test_hidden_profile_cannot_be_shortlisted_or_invited_by_crafted_post(client, auth):
    need, coach, baker, hidden = setup_market(auth)
    assert client.post(f"/needs/{need.id}/shortlist/{hidden.id}").status_code == 404
    assert client.get(f"/needs/{need.id}/invite/{hidden.id}").status_code == 404
    assert client.post(f"/needs/{need.id}/invite/{hidden.id}", data={"message": "Hi"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_profile_hidden_after_shortlisting_leaves_the_comparison(client, auth):
    need, coach, *_ = setup_market(auth)
    client.post(f"/needs/{need.id}/shortlist/{coach.id}")
    coach.visibility = Visibility.HIDDEN
    db.session.commit()
    assert b"Nobody shortlisted yet" in client.get(f"/needs/{need.id}/compare").data


def test_the_leader_sees_who_said_they_are_interested(client, auth):
    need, coach, *_ = setup_market(auth)
    auth.sign_out()
    auth.sign_in(coach.user.email)
    client.post(f"/opportunities/{need.id}/interest", data={"note": "I coached two analytics teams last year."})
    auth.sign_out()
    auth.sign_in("lead@example.org")
    detail = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "I coached two analytics teams last year." in detail and coach.headline in detail
    assert "Said they are interested" in client.get(f"/needs/{need.id}/matches").get_data(as_text=True)
    home = client.get("/needs/").get_data(as_text=True)
    assert ">Interested</a></th>" in home
    row = home.split(f'<a href="/needs/{need.id}">')[1].split("</tr>")[0]
    assert '<td data-label="Interested">1</td>' in row


def test_the_leader_home_counts_strong_matches_for_each_open_need(client, auth):
    need, coach, baker, hidden = setup_market(auth)
    home = client.get("/needs/").get_data(as_text=True)
    assert f'hx-get="/needs/{need.id}/matches/count"' in home
    response = client.get(f"/needs/{need.id}/matches/count", headers={"HX-Request": "true"})
    page = client.get(f"/needs/{need.id}/matches").get_data(as_text=True)
    scores = [int(s) for s in re.findall(r'aria-label="Score (\d+) out of 100"', page)]
    labels = re.findall(r'class="fit-label fit-(\w+)"', page)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert f">{labels.count('strong')}</a>" in response.get_data(as_text=True)
    assert all((label == "strong") == (score >= 75) for score, label in zip(scores, labels))
    assert labels[0] == "strong" and labels[-1] == "weak"  # the case tells strong from weak


def test_a_deep_page_or_narrow_filters_never_score_more_than_a_bounded_pool(client, auth, monkeypatch):
    from matching.index import VectorIndex
    from webapp.search import ranking

    need, *_ = setup_market(auth)
    asked = []
    search = VectorIndex.search
    monkeypatch.setattr(
        VectorIndex, "search", lambda self, query, k, **kw: asked.append(k) or search(self, query, k, **kw)
    )
    for query in ("?page=1000", "?max_rate=1&page=10", "?min_hours=99"):
        assert client.get(f"/needs/{need.id}/matches{query}").status_code == 200
    client.get("/needs-for-me?page=1000")
    assert asked and max(asked) <= ranking.MAX_POOL
    assert ranking.page_number(1000) == ranking.MAX_PAGE and ranking.page_number(-3) == 1


def test_needs_ranked_for_a_freelancer_cost_the_same_queries_however_many_are_shown(client, auth):
    coach = factories.ProfileFactory(headline="Data analytics coach", skill_labels=("data analytics",))

    def post_needs(count: int) -> None:
        for _ in range(count):
            org = factories.OrganisationFactory()  # each need names its own team and organisation
            leader = factories.UserFactory(leader=True, organisation=org)
            factories.NeedFactory(
                organisation=org, created_by=leader, title="Pair with analysts on AI", skill_labels=("data analytics",)
            )
        db.session.commit()

    post_needs(2)
    auth.sign_in(coach.user.email)
    few = queries_of(client, "/needs-for-me")
    post_needs(6)
    page = client.get("/needs-for-me").get_data(as_text=True)
    assert page.count("Pair with analysts on AI") >= 8
    assert queries_of(client, "/needs-for-me") == few


def test_needs_ranked_for_a_freelancer_are_read_once_then_kept_until_they_change(client, auth):
    coach = factories.ProfileFactory(headline="Data analytics coach", skill_labels=("data analytics",))
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org)
    for title in ("Pair with analysts on AI", "Coach the analysts on forecasting"):
        factories.NeedFactory(organisation=org, created_by=leader, title=title, skill_labels=("data analytics",))
    db.session.commit()
    auth.sign_in(coach.user.email)

    need_rows = [s for s in statements_of(client, "/needs-for-me") if s.startswith("SELECT needs.id, needs.")]
    assert len(need_rows) == 1  # the page shown; the ranked pool comes from kept cards

    need = db.session.scalar(select(Need).where(Need.title == "Pair with analysts on AI"))
    need.skills.clear()
    need.skills.append(NeedSkill(label="Prompt design workshops", importance=3, position=0))
    db.session.commit()
    page = client.get("/needs-for-me").get_data(as_text=True)
    card = page[page.index("Pair with analysts on AI") :][:4000]
    assert "Prompt design workshops" in card.split("Coach the analysts")[0]

    need.status = NeedStatus.CLOSED
    db.session.commit()
    assert "Pair with analysts on AI" not in client.get("/needs-for-me").get_data(as_text=True)
