"""htmx lives in two places only: `webapp/htmx.py` reads its request headers, and templates
carry its `hx-*` attributes; the rest of the Python code knows neither."""

from __future__ import annotations

import re
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
READS_HX_HEADER = re.compile(r"""request\.htmx\b|request\.headers\b.*["']HX-""")
HX_ATTRIBUTE = re.compile(r"""["']hx-[a-z-]+["']""")


def _modules_matching(pattern: re.Pattern) -> list[str]:
    return sorted(
        str(path.relative_to(WEBAPP))
        for path in WEBAPP.rglob("*.py")
        if path.name != "htmx.py" and pattern.search(path.read_text())
    )


def test_only_the_htmx_module_reads_htmx_headers():
    assert _modules_matching(READS_HX_HEADER) == []


def test_no_python_module_writes_hx_attributes_they_belong_in_templates():
    assert _modules_matching(HX_ATTRIBUTE) == []
