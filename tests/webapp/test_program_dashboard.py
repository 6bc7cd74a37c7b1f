"""The outcomes dashboard through its routes: who sees which engagements, filters, sorting and
paging from the URL, htmx partials, and figures that agree with the engagement page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests import factories
from tests.factories.programs import ACTIVE, COMPLETED, program_engagement, program_world
from webapp.engagements.overview import overview
from webapp.engagements.services import engagement_for
from webapp.extensions import db
from webapp.models import Engagement
from webapp.programs import services
from webapp.programs.outcomes import ProgramQuery

TITLES = ("Coach the ops team on triage prompts", "Automate the ops report", "Pair with finance on forecasting")


def page_as(client, auth, person, url: str = "/program", **headers) -> str:
    auth.sign_in(person.email)
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def shown(page: str) -> set[str]:
    return {title for title in TITLES if title in page}


def test_a_program_manager_sees_every_engagement_of_the_organisation_and_no_other(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager)
    assert shown(page) == set(TITLES) and "Someone else" not in page
    for item in (world.completed, world.quiet, world.finance_work):
        assert f'href="/engagements/{item.id}"' in page


def test_a_leader_sees_only_the_teams_they_lead(client, auth, app):
    world = program_world()
    assert shown(page_as(client, auth, world.leader)) == set(TITLES[:2])
    auth.sign_out()
    page = page_as(client, auth, world.finance_leader)
    assert shown(page) == {TITLES[2]} and "your teams" in page


def test_a_leader_who_leads_no_team_sees_no_engagement(client, auth, app):
    world = program_world()
    newcomer = factories.UserFactory(leader=True, organisation=world.org, email="newcomer@example.org", leads=False)
    db.session.commit()
    page = page_as(client, auth, newcomer)
    assert shown(page) == set() and "No engagements match these filters." in page


def test_a_leader_cannot_filter_their_way_into_another_team(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.leader, f"/program?team={world.finance.id}")
    assert TITLES[2] not in page and "Not a valid choice" in page
    assert f'<option value="{world.finance.id}"' not in page


def test_freelancers_cannot_open_the_dashboard(client, auth, app):
    world = program_world()
    auth.sign_in(world.quiet.profile.user.email)
    assert client.get("/program").status_code == 403


def test_filters_come_from_the_query_string(client, auth, app):
    world = program_world()
    auth.sign_in(world.manager.email)

    def titles(query: str) -> set[str]:
        return shown(client.get(f"/program?{query}").get_data(as_text=True))

    assert titles("status=active") == set(TITLES[1:])
    assert titles("intent=automate") == {TITLES[1]}
    assert titles(f"team={world.finance.id}") == {TITLES[2]}
    assert titles(f"goal={world.goal.id}&status=completed") == {TITLES[0]}
    assert titles(f"until={date.today().replace(year=date.today().year - 1)}") == set()
    assert titles("status=nonsense&since=not-a-date") == set(TITLES)  # what did not validate is left out


def test_an_invalid_filter_says_why_next_to_the_field(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager, "/program?since=2026-05-01&until=2026-04-01")
    assert "The end of the period can&#39;t be before its start." in page


def test_an_htmx_request_gets_the_results_partial_and_a_history_restore_the_page(client, auth, app):
    world = program_world()
    auth.sign_in(world.manager.email)
    fragment = client.get("/program?status=active", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="comparison"' in body and TITLES[1] in body and TITLES[0] not in body
    assert "HX-Request" in fragment.headers["Vary"]
    restored = client.get("/program", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.get_data(as_text=True)


def test_the_filter_form_pushes_a_shareable_url_and_works_without_javascript(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager, "/program?sort=health&dir=asc")
    assert 'method="get" action="/program"' in page and 'hx-push-url="true"' in page
    assert '<input type="hidden" name="sort" value="health" form="program-filters">' in page
    assert 'aria-sort="ascending"' in page


def test_sorting_by_a_column_and_its_header_flips_the_order(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager, "/program?sort=need&dir=asc")
    assert page.index(TITLES[1]) < page.index(TITLES[0]) < page.index(TITLES[2])  # Automate, Coach, Pair
    assert 'href="/program?sort=need&amp;dir=desc"' in page
    descending = client.get("/program?sort=need&dir=desc").get_data(as_text=True)
    table = descending[descending.index('id="engagement-table"') :]
    assert table.index(TITLES[2]) < table.index(TITLES[0]) < table.index(TITLES[1])


def with_active_engagements(count: int, title: str):
    """The program world and `count` more active engagements, titled "<title> 00" onwards."""
    world = program_world()
    for i in range(count):
        program_engagement(
            factories.NeedFactory(organisation=world.org, created_by=world.leader, title=f"{title} {i:02d}"),
            status=ACTIVE,
            session_days=(1,),
        )
    db.session.commit()
    return world


def test_paging_through_thirty_engagements_keeps_the_filters(client, auth, app):
    world = with_active_engagements(27, "Extra engagement")
    first = page_as(client, auth, world.manager, "/program?status=active&sort=need&dir=asc")
    assert "Page 1 of 2" in first and 'href="/program?status=active&amp;sort=need&amp;dir=asc&amp;page=2"' in first
    second = client.get("/program?status=active&sort=need&dir=asc&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count("<tr data-engagement=") == 29 - 25
    assert TITLES[2] in second  # "Pair ..." sorts last


def test_the_pager_is_plain_links_that_htmx_boosts_into_the_results(client, auth, app):
    world = with_active_engagements(27, "Extra")
    first = page_as(client, auth, world.manager, "/program?status=active")
    pager = first[first.index('<nav class="pager"') :].split("</nav>")[0]
    assert 'hx-boost="true" hx-target="#results"' in pager and "hx-get" not in pager
    assert 'rel="next" href="/program?status=active&amp;sort=' in pager
    boosted = client.get("/program?status=active&page=2", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" not in boosted.get_data(as_text=True) and "Page 2 of 2" in boosted.get_data(as_text=True)


def test_the_dashboard_agrees_with_the_engagement_page(app):
    world = program_world()
    program = services.program_for(ProgramQuery(), viewer=world.manager)
    for outcome in program.outcomes:
        page = overview(engagement_for(world.manager, outcome.facts.id))
        assert outcome.risks == tuple(page.risks)
        assert outcome.progress == page.progress and outcome.trend == page.trend


def test_open_rounds_and_rounds_with_too_few_answers_stay_out_of_the_figures(app):
    world = program_world()
    outcomes = {o.facts.id: o for o in services.program_for(ProgramQuery(), viewer=world.manager).outcomes}
    quiet = outcomes[world.quiet.id]
    assert [r.health for r in quiet.facts.rounds] == [100.0, 50.0]
    assert quiet.risks == (
        "No session in the last 20 days (more than 14).",
        "Connection health fell 50 points since the previous check-in.",
    )
    assert outcomes[world.completed.id].progress.share == 0.75


def test_the_at_risk_list_says_why_and_links_the_engagement(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager)
    at_risk = page[page.index('id="at-risk"') : page.index('id="comparison"')]
    assert f'href="/engagements/{world.quiet.id}#risk"' in at_risk
    assert "No session in the last 20 days" in at_risk and TITLES[0] not in at_risk


def test_every_chart_comes_with_its_table_and_no_inline_styles_or_scripts(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager)
    for table in ("comparison-table", "health-table", "progress-table", "uplift-table", "goals-table"):
        assert f'id="{table}"' in page
    assert page.count("<svg") == 5 and " style=" not in page and "<style" not in page
    assert "<script" not in page.split("</head>")[1]
    assert "n=1 completed" in page  # the comparison says how many engagements are behind each figure


def test_a_program_manager_reviews_and_rates_but_never_changes_an_engagement(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager)
    assert page.count('method="post"') == 1  # signing out
    assert client.post(f"/engagements/{world.quiet.id}/status", data={"status": "cancelled"}).status_code == 403
    assert client.post(f"/engagements/{world.quiet.id}/details", data={}).status_code == 403
    rated = client.post(f"/engagements/{world.completed.id}/rating", data={"rating-rating": "5"})
    assert rated.status_code == 302
    db.session.expire_all()
    assert db.session.get(Engagement, world.quiet.id).status is ACTIVE
    assert db.session.get(Engagement, world.completed.id).outcome_rating == 5


def test_a_completed_engagement_without_a_rating_offers_the_manager_a_link_to_rate_it(client, auth, app):
    world = program_world()
    world.completed.outcome_rating = None
    db.session.commit()
    assert f'href="/engagements/{world.completed.id}#reviews">Rate</a>' in page_as(client, auth, world.manager)
    auth.sign_out()
    assert ">Rate</a>" not in page_as(client, auth, world.leader)


def test_an_organisation_without_engagements_gets_empty_states(client, auth, app):
    org = factories.OrganisationFactory()
    manager = factories.UserFactory(program_manager=True, organisation=org, email="lonely@example.org")
    db.session.commit()
    page = page_as(client, auth, manager)
    assert "No engagements match these filters." in page and "No engagement has a risk flag" in page
    assert "No rounds with results in this selection yet." in page


def test_the_program_managers_home_is_the_dashboard(client, auth, app):
    world = program_world()
    auth.sign_in(world.manager.email)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/program")
    assert 'href="/program" aria-current="page">Outcomes' in client.get("/program").get_data(as_text=True)


def test_the_benchmark_program_seeds_and_renders(client, auth, app):
    from benchmarks.program import seed_program

    manager = seed_program(40, date.today())
    manager.password_hash = factories.PASSWORD_HASH
    db.session.commit()
    page = page_as(client, auth, manager)
    assert "40 in this selection" in page and page.count("<tr data-engagement=") == 25
    assert db.session.scalar(select(Engagement.id).where(Engagement.status == COMPLETED).limit(1))


def test_blank_filters_mean_any_rather_than_an_error(client, auth, app):
    world = program_world()
    page = page_as(client, auth, world.manager, "/program?team=%20&goal=%20&status=%20&intent=%20&sort=%20&dir=%20")
    assert shown(page) == set(TITLES)
