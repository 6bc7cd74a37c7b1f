"""Real processes for the reliability tests: Tandem under gunicorn, a PostgreSQL cluster of the
test's own (never the shared server), and a small cookie-keeping HTTP client."""

from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tandem_env(database_url: str, index_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TANDEM_INDEX_DIR": str(index_dir),
        "TANDEM_EMBEDDER": "fake",
        "TANDEM_OCCUPATION_BRIDGE": "off",
        "SECRET_KEY": "process-tests",
        "FLASK_APP": "webapp:create_app",
        "HF_HUB_OFFLINE": "1",
        **extra,
    }


def wait_until(check, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(interval)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


class Browser:
    """Keeps cookies, never raises for an HTTP status, fills in the CSRF token of the last form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def get(self, path: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode({"csrf_token": self.csrf, **data}, doseq=True).encode()
        return self._send(urllib.request.Request(self.base + path, data=body, method="POST"))

    def sign_in(self, email: str, password: str) -> int:
        self.get("/signin")
        return self.post("/signin", {"email": email, "password": password})[0]

    def _send(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        except (urllib.error.URLError, ConnectionError):
            return 0, ""  # nobody listening (yet)
        if match := re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body):
            self.csrf = match.group(1)
        return status, body


@contextmanager
def gunicorn(env: dict[str, str], log: Path, *, workers: int = 1):
    """Tandem under gunicorn on a free loopback port; yields its base URL once /readyz says ready."""
    port = free_port()
    env = {**env, "TANDEM_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    with open(log, "w") as output:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "webapp:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: server.poll() is not None or Browser(base).get("/readyz")[0] == 200, 60, "gunicorn")
        assert server.poll() is None, log.read_text()
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class PrivateCluster:
    """A throwaway PostgreSQL server on a free port (trust auth), run as the `postgres` OS user
    when the tests run as root, since PostgreSQL refuses to run as root."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise FileNotFoundError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.home = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
        self.data = self.home / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.home, "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/tandem"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "--auth=trust",
            "--username=postgres",
            "--no-sync",
            "--encoding=UTF8",
            "-D",
            str(self.data),
        )
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "tandem")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.home / "log"), "-w", "start"
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)
