"""What each page of the load test's mix costs on its own, in process, on the prepared database:
SQL statements, wall and CPU milliseconds (median of --reps), and the mean weighted by how often
the Locust users ask for each page. A saturated load run spreads by a fifth from run to run;
these figures move a few per cent, so a change is measured here first and in the load run after.

    python -m loadtest.prepare && OMP_NUM_THREADS=1 python -m loadtest.page_costs [--reps 15]

Profile saves and check-ins are timed too (each save and each check-in link changes the data,
so run `python -m loadtest.prepare` again before a load run): a save by a freelancer coming back
to a profile saved before (its texts' vectors kept with it, `matching.known_texts`), with the
machine's store of long texts' vectors emptied first; the same profiles saved again by a process
that remembers nothing of them (another worker); and a save of a profile that has no texts'
vectors kept (embedded before they were, or generated in bulk by `loadtest.prepare`), which
encodes every field."""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import time
from collections.abc import Callable

from .forms import Form
from .prepare import EDITORS, WORK, database_url

# Requests per simulated user-minute, from locustfile.py: user weight x task weight / the user's task weights.
LEADER, FREELANCER, MANAGER = 4 / 14, 4 / 11, 1 / 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="tandem_load")
    parser.add_argument("--reps", type=int, default=15)
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=database_url(args.database), TANDEM_INDEX_DIR=str(WORK / "index"), HF_HUB_OFFLINE="1"
    )
    from sqlalchemy import event

    from webapp import create_app
    from webapp.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False})  # one client signs in a dozen accounts
    logging.getLogger("tandem.access").setLevel(logging.WARNING)
    plan = json.loads((WORK / "plan.json").read_text())
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *call: statements.append(call[2]))

    def signed_in(email: str, password: str):
        client = app.test_client()
        form = Form(client.get("/signin").text)
        response = client.post("/signin", data={**form.fields, "email": email, "password": password})
        if response.status_code != 302:
            raise SystemExit(f"sign-in refused for {email}: run python -m loadtest.prepare first")
        return client

    rows: list[tuple[str, float, float, float, float]] = []

    def page(client, name: str, urls: list[str], weight: float, headers: dict | None = None) -> None:
        counts, walls, cpus = [], [], []
        for rep in range(args.reps + 2):  # the first two fill what is kept between requests
            statements.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(random.choice(urls), headers=headers or {})
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if response.status_code != 200:
                raise SystemExit(f"{name}: {response.status_code}")
            if rep >= 2:
                counts.append(len(statements))
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
        rows.append((name, statistics.median(counts), statistics.median(walls), statistics.median(cpus), weight))

    leader = plan["leaders"][0]
    needs = leader["needs"]
    lead = signed_in(leader["email"], leader["password"])
    page(lead, "/needs/[id]/matches", [f"/needs/{n}/matches" for n in needs], LEADER * 6)
    filtered = [f"/needs/{n}/matches?max_rate=100&min_augmentation=0.4" for n in needs]
    page(lead, "/needs/[id]/matches?filters (htmx)", filtered, LEADER * 3, {"HX-Request": "true"})
    page(lead, "/needs/[id]/matches?page=2", [f"/needs/{n}/matches?page=2" for n in needs], LEADER)
    page(lead, "/needs/[id]", [f"/needs/{n}" for n in needs], LEADER * 2)
    page(lead, "/needs/", ["/needs/"], LEADER)
    page(lead, "/engagements/ (leader)", ["/engagements/"], LEADER)
    freelancer = signed_in(plan["freelancers"]["emails"][3], plan["freelancers"]["password"])
    every_need = [n for account in plan["leaders"] for n in account["needs"]]
    page(freelancer, "/needs-for-me", ["/needs-for-me"], FREELANCER * 5)
    page(freelancer, "/opportunities/[id]", [f"/opportunities/{n}" for n in every_need], FREELANCER)
    page(freelancer, "/profile", ["/profile"], FREELANCER * 2)
    page(freelancer, "/search?q=", ["/search?q=data+coaching", "/search?q=forecasting"], FREELANCER)
    page(freelancer, "/profile/edit", ["/profile/edit"], FREELANCER * 2)
    manager = signed_in(plan["program_manager"]["email"], plan["program_manager"]["password"])
    page(manager, "/program", ["/program"], MANAGER * 2)
    page(manager, "/engagements/ (program manager)", ["/engagements/"], MANAGER)

    print(f"{'page':40s} {'queries':>7s} {'wall ms':>8s} {'cpu ms':>7s}")
    for name, count, wall, cpu, _ in rows:
        print(f"{name:40s} {count:7.0f} {wall:8.1f} {cpu:7.1f}")
    total = sum(row[4] for row in rows)
    mean = [sum(row[i] * row[4] for row in rows) / total for i in (1, 2, 3)]
    print(f"{'mean over the mix (pages read)':40s} {mean[0]:7.1f} {mean[1]:8.1f} {mean[2]:7.1f}")

    def timed(name: str, action: Callable[[int], None], times: int = 10) -> None:
        walls, cpus = [], []
        for n in range(times + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            action(n)
            if n:
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
        print(f"{name:40s} {'':7s} {statistics.median(walls):8.1f} {statistics.median(cpus):7.1f}")

    # Another freelancer each time, each one's first save in this process: what it encodes is what
    # neither this process nor the profile's kept texts' vectors hold.
    emails = plan["freelancers"]["emails"]
    editors = [signed_in(email, plan["freelancers"]["password"]) for email in emails[40:51]]
    newcomers = [signed_in(email, plan["freelancers"]["password"]) for email in emails[EDITORS + 40 : EDITORS + 51]]

    def save_profile(n: int, clients: list = editors) -> None:
        """Saves editor n's profile with " (from next month)" added to its headline, or taken off."""
        client = clients[n]
        form = Form(client.get("/profile/edit").text)
        headline, suffix = form.fields["headline"], " (from next month)"
        form.fields["headline"] = headline.removesuffix(suffix) if headline.endswith(suffix) else headline + suffix
        if client.post("/profile/edit", data=form.fields).status_code != 302:
            raise SystemExit("profile save refused")

    tokens = list(plan["checkin_tokens"])

    def check_in(n: int) -> None:
        client = app.test_client()
        token = tokens.pop()
        form = Form(client.get(f"/checkin/{token}").text)
        answers = {name: random.choice(values) for name, values in form.radios.items()}
        if "Thank" not in client.post(f"/checkin/{token}", data={**form.fields, **answers, "comment": ""}).text:
            raise SystemExit("check-in refused: run python -m loadtest.prepare for fresh links")

    from webapp.search.engine import embedder

    with app.app_context():
        worker = embedder()
    if worker.shared is not None:
        worker.shared.clear()  # the machine's store of long texts' vectors starts empty too
    timed("a profile's edit page and its save", save_profile)

    def save_again_elsewhere(n: int) -> None:
        worker.forget()  # as another worker of the machine would find it: nothing in memory
        save_profile(n)

    timed("the same, saved again by another worker", save_again_elsewhere)

    with app.app_context():
        forget_texts_of(emails[EDITORS + 40 : EDITORS + 51])

    def save_without_kept_texts(n: int) -> None:
        worker.forget()
        save_profile(n, newcomers)

    timed("a save of a profile with no texts kept", save_without_kept_texts)
    timed("check-in link opened and answered", check_in)


def forget_texts_of(emails: list[str]) -> None:
    """Drops the texts' vectors kept with these freelancers' profiles (as before they were kept)."""
    from sqlalchemy import select, update

    from webapp.extensions import db
    from webapp.models import Embedding, FreelancerProfile, ItemKind, User

    ids = select(FreelancerProfile.id).join(FreelancerProfile.user).where(User.email.in_(emails))
    db.session.execute(
        update(Embedding)
        .where(Embedding.kind == ItemKind.PROFILE, Embedding.item_id.in_(ids))
        .values(text_vectors=None)
    )
    db.session.commit()


if __name__ == "__main__":
    main()
