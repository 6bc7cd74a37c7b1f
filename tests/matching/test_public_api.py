"""matching's public API: what `matching/__init__.py` names is all the web app uses, importing it
stays cheap, and the package takes its settings as arguments, never from the environment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import matching

ROOT = Path(__file__).resolve().parents[2]


def test_every_public_name_resolves():
    missing = [name for name in matching.__all__ if getattr(matching, name, None) is None]
    assert missing == []


def test_importing_matching_loads_no_model_runtime_and_no_web_framework():
    code = (
        "import sys, matching; print(sorted(m for m in ('torch', 'onnxruntime', 'sentence_transformers', "
        "'rank_bm25', 'flask', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_matching_reads_and_sets_no_environment_variables():
    pattern = re.compile(r"\bos\.(environ|getenv|putenv|unsetenv)\b")
    readers = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "matching").glob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert readers == []


def test_the_web_app_and_the_load_test_import_only_the_public_api():
    pattern = re.compile(r"^\s*(from matching\.\w+ import|import matching\.)", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("webapp", "loadtest")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if pattern.search(path.read_text())
    ]
    assert offenders == []
