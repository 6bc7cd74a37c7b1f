"""Two real web processes on one database: a profile edited through one is ranked with its new
text by the other on its next query (the IndexChange sequence, not a shared file, carries it)."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests import factories
from webapp.extensions import db
from webapp.models import Role

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


class Browser:
    """A cookie-keeping HTTP client that signs in and posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post_form(self, path: str, fields: dict) -> str:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path)).group(1)
        body = urllib.parse.urlencode(fields | {"csrf_token": token}).encode()
        with self.opener.open(self.base + path, data=body, timeout=30) as response:
            return response.read().decode()

    def sign_in(self, email: str) -> None:
        page = self.post_form("/signin", {"email": email, "password": factories.PASSWORD})
        assert "Sign out" in page, "sign-in failed"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_web_process(database_url: str, index_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url, "TANDEM_EMBEDDER": "fake", "TANDEM_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "two-processes", "HF_HUB_OFFLINE": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp:create_app", "run", "--port", str(port), "--no-reload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).close()
            return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the web process did not start")


@pytest.fixture
def two_processes(app, database_url, tmp_path):
    started = [start_web_process(database_url, tmp_path / f"index-{name}") for name in ("a", "b")]
    yield [base for _, base in started]
    for process, _ in started:
        process.terminate()
        process.wait(timeout=10)


def test_a_profile_edited_through_one_process_is_ranked_anew_by_the_other(app, two_processes):
    org = factories.organisation()
    leader_account = factories.user(Role.LEADER, org, email="lead@example.org")
    need = factories.need(org, leader_account, title="Coach our analysts in data analytics",
                          description="Analysts build weekly reports and want to analyse data with AI.")
    newcomer = factories.freelancer(headline="", skills=())  # nothing to rank on yet
    factories.freelancer(headline="Pastry chef for weddings", skills=("bake pastries",))
    db.session.commit()
    first, second = two_processes

    leader = Browser(second)
    leader.sign_in("lead@example.org")
    before = leader.get(f"/needs/{need.id}/matches")
    assert "Pastry chef for weddings" in before  # the other process has built its index
    assert "Data analytics coach" not in before

    freelancer = Browser(first)
    freelancer.sign_in(newcomer.user.email)
    freelancer.post_form("/profile/edit", {
        "headline": "Data analytics coach who pairs with analysts", "bio": "I coach analysts.",
        "skills-0-skill": "data analytics", "skills-0-weight": "4", "ai_stance": "augment",
        "ai_usage": "I pair with analysts.", "hourly_rate": "90", "weekly_hours": "20",
        "timezone": "", "visibility": "public",
    })

    after = leader.get(f"/needs/{need.id}/matches")
    first_candidate = after.split('class="candidate card"')[1]
    assert "Data analytics coach who pairs with analysts" in first_candidate
