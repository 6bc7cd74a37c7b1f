"""Cross-worker freshness, checked while the load runs: a profile edit saved through one gunicorn
worker shows in every ranking served after it, by any worker, and so in the next ranking served
by another worker than the one that saved it.

Which worker served a request comes from the server's access log, where every line carries the
process id: each request here is sent with a request id of our choosing and its line looked up.
"""

from __future__ import annotations

import html
import http.client
import re
import secrets
import time
import urllib.parse
from pathlib import Path

from .forms import Form

UNRELATED = ("Pastry chef and bakery owner", ["bake pastries", "manage a bakery"])


class Connection:
    """One keep-alive connection; cookies are passed in, so two connections share a sign-in."""

    def __init__(self, host: str) -> None:
        self.connection = http.client.HTTPConnection(host, timeout=30)

    def send(
        self, method: str, path: str, cookie: str = "", fields: dict | None = None, request_id: str = ""
    ) -> tuple[int, str, str]:
        headers = {"Cookie": cookie} if cookie else {}
        if request_id:
            headers["X-Request-Id"] = request_id
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        cookies = [value.split(";")[0] for name, value in response.getheaders() if name.lower() == "set-cookie"]
        return response.status, text, "; ".join(cookies) or cookie


def sign_in(host: str, email: str, password: str) -> str:
    """The session cookie of a fresh sign-in."""
    connection = Connection(host)
    _, page, cookie = connection.send("GET", "/signin")
    status, _, cookie = connection.send(
        "POST", "/signin", cookie, {**Form(page).fields, "email": email, "password": password}
    )
    if status != 302:
        raise RuntimeError(f"sign-in of {email} answered {status}")
    return cookie


def worker_of(request_id: str, log: Path) -> int:
    for _ in range(100):
        if found := re.search(rf"pid=(\d+) request_id={request_id}", log.read_text()):
            return int(found.group(1))
        time.sleep(0.05)
    raise RuntimeError(f"no access line for request {request_id}")


def save_profile(host: str, cookie: str, headline: str, skills: list[str]) -> tuple[int, str]:
    """Saves the profile form with a new headline and skills; (status, request id)."""
    _, page, cookie = Connection(host).send("GET", "/profile/edit", cookie)  # the session holds the CSRF secret
    fields = {name: value for name, value in Form(page).fields.items() if not name.startswith("skills-")}
    fields["headline"] = headline
    for row, label in enumerate(skills):
        fields[f"skills-{row}-skill"], fields[f"skills-{row}-weight"] = label, "5"
    request_id = "save" + secrets.token_hex(6)
    return Connection(host).send("POST", "/profile/edit", cookie, fields, request_id=request_id)[0], request_id


def check_freshness(host: str, plan: dict, log: Path, rounds: int = 4) -> list[str]:
    """One line per edit: "ok: ..." when the other worker's next match page reflected it."""
    try:
        return _rounds(host, plan, log, rounds)
    except Exception as problem:  # reported, and the run fails on it
        return [f"failed: {problem!r}"]


def _rounds(host: str, plan: dict, log: Path, rounds: int) -> list[str]:
    leader = sign_in(host, plan["leader"]["email"], plan["leader"]["password"])
    freelancer = sign_in(host, plan["freelancer"]["email"], plan["freelancer"]["password"])
    name = html.escape(plan["freelancer"]["name"])
    matches = f"/needs/{plan['need']}/matches"
    lines = []
    for turn in range(rounds):
        matching = turn % 2 == 0
        headline, skills = (plan["need_title"], plan["need_skills"]) if matching else UNRELATED
        status, saved_by = save_profile(host, freelancer, headline, skills)
        writer, readers, stale = worker_of(saved_by, log), [], 0
        while len(readers) < 8 and not any(pid != writer for pid in readers):
            request_id = "rank" + secrets.token_hex(6)
            listed = name in Connection(host).send("GET", matches, leader, request_id=request_id)[1]
            readers.append(worker_of(request_id, log))
            stale += listed != matching
        other = [pid for pid in readers if pid != writer]
        verdict = "ok" if status == 302 and not stale and other else "STALE" if stale else "UNCHECKED"
        lines.append(
            f"{verdict}: saved through worker {writer} ({status}), profile "
            f"{'matching the need' if matching else 'unrelated'}; {len(readers)} ranking(s) after it "
            f"from workers {readers}: {len(readers) - stale} showed the edit"
        )
    return lines
