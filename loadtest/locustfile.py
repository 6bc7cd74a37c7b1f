"""What the simulated people do, in the proportions of a working day: leaders go through their
needs' ranked candidates (filtered with htmx, paged), freelancers look at the needs ranked for
them and edit their profile, team members answer pulse check-ins from their links, a program
manager browses. Each simulated person comes from its own loopback address (127.0.x.y), as
people come from their own machines, so the per-address rate limits apply as in production.

Read by Locust (`loadtest/run.py` starts it); the plan comes from `loadtest/prepare.py`."""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path

from forms import Form  # loadtest/forms.py: Locust puts this folder on the path
from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter

PLAN = json.loads(Path(os.environ.get("TANDEM_LOAD_PLAN", "instance/loadtest/plan.json")).read_text())
_addresses = itertools.count(2)
_freelancers = itertools.count()
_tokens = list(PLAN["checkin_tokens"])
_tokens_lock = threading.Lock()
ALL_NEEDS = [need for leader in PLAN["leaders"] for need in leader["needs"]]


class FromAddress(HTTPAdapter):
    """Connects from one given local address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 5)  # reading a page before the next click

    def on_start(self) -> None:
        self.new_address()

    def new_address(self) -> None:
        number = next(_addresses)
        self.client.mount("http://", FromAddress(f"127.0.{number // 250}.{number % 250 + 1}"))

    def sign_in(self, email: str, password: str) -> None:
        form = Form(self.client.get("/signin", name="/signin").text)
        with self.client.post(
            "/signin",
            data={**form.fields, "email": email, "password": password},
            name="/signin (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused for {email}: {response.status_code}")

    def page(self, url: str, name: str, **kwargs) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")


class Leader(Person):
    weight = 4

    def on_start(self) -> None:
        super().on_start()
        account = random.choice(PLAN["leaders"])
        self.needs = account["needs"]
        self.sign_in(account["email"], account["password"])

    @task(6)
    def match_page(self) -> None:
        self.page(f"/needs/{random.choice(self.needs)}/matches", "/needs/[id]/matches")

    @task(3)
    def filtered_matches(self) -> None:
        rate = random.choice((80, 100, 120, 150))
        self.page(
            f"/needs/{random.choice(self.needs)}/matches?max_rate={rate}&min_augmentation=0.4",
            "/needs/[id]/matches?filters (htmx)",
            headers={"HX-Request": "true"},
        )

    @task(1)
    def next_page(self) -> None:
        self.page(f"/needs/{random.choice(self.needs)}/matches?page=2", "/needs/[id]/matches?page=2")

    @task(2)
    def need(self) -> None:
        self.page(f"/needs/{random.choice(self.needs)}", "/needs/[id]")

    @task(1)
    def needs(self) -> None:
        self.page("/needs/", "/needs/")

    @task(1)
    def engagements(self) -> None:
        self.page("/engagements/", "/engagements/")


class Freelancer(Person):
    weight = 4

    def on_start(self) -> None:
        super().on_start()
        emails = PLAN["freelancers"]["emails"]
        self.sign_in(emails[next(_freelancers) % len(emails)], PLAN["freelancers"]["password"])

    @task(5)
    def needs_for_me(self) -> None:
        self.page("/needs-for-me", "/needs-for-me")

    @task(1)
    def opportunity(self) -> None:
        self.page(f"/opportunities/{random.choice(ALL_NEEDS)}", "/opportunities/[id]")

    @task(2)
    def profile(self) -> None:
        self.page("/profile", "/profile")

    @task(1)
    def search(self) -> None:
        self.page(f"/search?q={random.choice(('data coaching', 'prompt workshops', 'forecasting'))}", "/search?q=")

    @task(2)
    def edit_profile(self) -> None:
        form = Form(self.client.get("/profile/edit", name="/profile/edit").text)
        if not form.fields.get("headline"):
            return
        headline = form.fields["headline"]
        suffix = " (available from next month)"
        form.fields["headline"] = headline[: -len(suffix)] if headline.endswith(suffix) else headline + suffix
        with self.client.post(
            "/profile/edit", data=form.fields, name="/profile/edit (save)", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"profile save answered {response.status_code}")


class TeamMember(Person):
    """Opens a check-in link and answers it (each link works once); the next link is another
    team member's, on another machine."""

    weight = 2

    @task
    def check_in(self) -> None:
        with _tokens_lock:
            token = _tokens.pop() if _tokens else None
        if token is None:
            return
        self.new_address()
        form = Form(self.client.get(f"/checkin/{token}", name="/checkin/[token]").text)
        answers = {name: random.choice(values) for name, values in form.radios.items()}
        with self.client.post(
            f"/checkin/{token}",
            data={**form.fields, **answers, "comment": ""},
            name="/checkin/[token] (answer)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "Thank" not in response.text:
                response.failure(f"check-in answered {response.status_code}")


class ProgramManager(Person):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(PLAN["program_manager"]["email"], PLAN["program_manager"]["password"])

    @task(2)
    def outcomes(self) -> None:
        self.page("/program", "/program")

    @task(1)
    def engagements(self) -> None:
        self.page("/engagements/", "/engagements/")
