"""Watching every page a browser test opens: axe-core on each loaded document, Content-Security-
Policy violations, script errors and missing static files. `PageWatch.finish()` lists them."""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlsplit

AXE_FILE = next((Path(__file__).resolve().parents[2] / "static" / "js").glob("axe-*.min.js"))
AXE_URL = f"/static/js/{AXE_FILE.name}"
FAILING_IMPACTS = ("serious", "critical")

# Loaded from Tandem's own origin, as the CSP allows; runs axe once the document has loaded.
WATCH_SCRIPT = """
(() => {
  if (window.top !== window) return;
  const report = (kind, payload) => window.__tandemWatch && window.__tandemWatch(kind, location.href, payload);
  document.addEventListener('securitypolicyviolation', event =>
    report('csp', `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} ${event.sample || ''}`));
  window.__tandemAxe = (scope) => axe.run(scope || document, {resultTypes: ['violations']}).then(result =>
    result.violations.filter(v => %(impacts)s.includes(v.impact)).map(v =>
      `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`));
  window.addEventListener('load', () => {
    if (!document.contentType.includes('html') || !document.head) return;
    const script = document.createElement('script');
    script.src = '%(axe)s';
    script.onload = () => window.__tandemAxe().then(found => { report('axe', found); window.__tandemAxeDone = true; });
    document.head.appendChild(script);
  });
})();
""" % {"impacts": list(FAILING_IMPACTS), "axe": AXE_URL}  # noqa: UP031 - the script's own braces rule out str.format


class PageWatch:
    """Collects what went wrong on every page of one browser context."""

    def __init__(self, context, *, scripts: bool = True) -> None:
        self.context = context
        self.scripts = scripts  # without JavaScript, axe can't run: only errors are collected
        self.problems: list[str] = []
        self.checked: set[str] = set()
        self.opened = False
        context.expose_binding("__tandemWatch", self._report)
        context.add_init_script(WATCH_SCRIPT)
        context.on("page", self._watch_page)

    def _report(self, source, kind: str, url: str, payload) -> None:
        if kind == "axe":
            self.checked.add(url)
            self.problems += [f"axe on {url}: {violation}" for violation in payload]
        else:
            self.problems.append(f"CSP on {url}: {payload}")

    def _watch_page(self, page) -> None:
        self.opened = True
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        text = message.text
        if text.startswith("Failed to load resource"):
            # A page answering 4xx on purpose logs this too; a missing file it links to is a fault.
            resource = urlsplit(message.location.get("url", "")).path
            if resource.startswith("/static/") or resource == "/favicon.ico":
                self.problems.append(f"missing {resource} on {page.url}")
            return
        if "Content Security Policy" in text or "htmx:" in text or "Error" in text:
            self.problems.append(f"console error on {page.url}: {text}")

    def finish(self) -> list[str]:
        for page in self.context.pages if self.scripts else ():
            wait_for_axe(page)
        opened = bool(self.context.pages) or self.opened
        self.context.close()
        if opened and self.scripts and not self.checked:
            self.problems.append("axe checked no page: is the watch script loading axe?")
        return self.problems


def wait_for_axe(page, timeout: float = 15_000) -> None:
    """Waits until the automatic axe run on the current document has reported."""
    # A page closed or navigating away: its next document reports instead.
    with contextlib.suppress(Exception):
        page.wait_for_function("() => window.__tandemAxeDone === true || !document.head", timeout=timeout)


def axe_violations(page, selector: str | None = None) -> list[str]:
    """Serious and critical axe violations on the page as it is now (after htmx swaps, say)."""
    wait_for_axe(page)
    scope = f"document.querySelector({selector!r})" if selector else "document"
    return page.evaluate(f"() => window.__tandemAxe({scope})")
