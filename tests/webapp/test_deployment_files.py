"""docker-compose.yml is for users (no Docker engine here): parse it and keep it in step."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def variables_the_app_reads() -> set[str]:
    source = (ROOT / "webapp" / "config.py").read_text()
    return set(re.findall(r'env(?:iron)?\.get\("([A-Z_]+)"', source)) | {"SECRET_KEY"}


def test_compose_runs_web_on_postgresql_after_migrations():
    services = compose()["services"]
    assert {"db", "migrate", "web"} <= services.keys()
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert "flask db upgrade" in " ".join(services["migrate"]["command"])


def test_compose_sets_only_variables_the_app_reads():
    for name in ("web", "migrate"):
        environment = compose()["services"][name]["environment"]
        unknown = set(environment) - variables_the_app_reads() - {"HF_HUB_OFFLINE"}
        assert unknown == set(), f"{name} sets variables the app never reads: {unknown}"
