"""A live Tandem served from a thread, and Debian's Chromium driven by Playwright.

Every page a test opens is watched: axe-core (vendored under static/js) checks it for
accessibility once it has loaded, and Content-Security-Policy violations and script errors are
collected. A test fails at the end if any page had a serious or critical axe violation, a CSP
violation or a script error."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.accessibility import PageWatch

CHROMIUM = os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium")
# The browser tests drive the pages on one database: what differs between databases is tested on
# both by tests/webapp. TANDEM_BROWSER_DATABASES=both runs them on PostgreSQL too.
BOTH_DATABASES = os.environ.get("TANDEM_BROWSER_DATABASES", "").lower() == "both"


def pytest_collection_modifyitems(config, items):
    # The live server answers each request in a thread of its own, on its own connection: what a
    # browser test writes must be committed for the server to see it.
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.commits)
    if BOTH_DATABASES:
        return
    on_postgresql = [item for item in items if "tests/browser/" in item.nodeid and "[postgresql" in item.nodeid]
    if on_postgresql:
        config.hook.pytest_deselected(items=on_postgresql)
        items[:] = [item for item in items if item not in on_postgresql]


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def watched_context(chromium, live_server, app):
    """New browser contexts whose every page is watched; checked when the test ends."""
    app.config["WTF_CSRF_ENABLED"] = True
    watches: list[PageWatch] = []

    def new_context(**options):
        context = chromium.new_context(base_url=live_server, **options)
        watch = PageWatch(context, scripts=options.get("java_script_enabled", True))
        watches.append(watch)
        return context

    yield new_context
    problems = [problem for watch in watches for problem in watch.finish()]
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(watched_context):
    context = watched_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    return page


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
