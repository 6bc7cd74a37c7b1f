"""docker-compose.yml is for users (no Docker engine here): parse it and keep it in step with
the settings the app and gunicorn.conf.py read, the commands the app has and the routes it serves."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from webapp.config import database_url

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "mailer")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def services() -> dict:
    return compose()["services"]


def variables_the_app_reads() -> set[str]:
    sources = [ROOT / "webapp" / "config.py", ROOT / "gunicorn.conf.py"]
    found = set()
    for source in sources:
        found |= set(re.findall(r'env(?:iron)?\.get\("([A-Z_]+)"', source.read_text()))
    return found | {"SECRET_KEY"}


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else command


def test_compose_runs_web_worker_postgresql_and_redis_after_migrations():
    every = services()
    assert {"db", "redis", "migrate", "web", "worker"} <= every.keys()
    for name in ("web", "worker"):
        assert every[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert every[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert every["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "flask db upgrade" in " ".join(command_of(every["migrate"]))


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker"])
def test_long_running_services_have_health_checks(name):
    check = services()[name]["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"} and len(check["test"]) > 1


def test_web_health_check_asks_readiness_on_the_port_gunicorn_binds(app):
    web = services()["web"]
    probe = " ".join(web["healthcheck"]["test"])
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", probe)
    assert url, probe
    port, path = url.groups()
    assert web["environment"]["TANDEM_BIND"].endswith(f":{port}")
    assert any(f"{port}:{port}" == mapping for mapping in web["ports"])
    assert path in {rule.rule for rule in app.url_map.iter_rules()}
    assert app.test_client().get(path).status_code == 200


def test_compose_sets_only_variables_the_app_reads():
    for name in APP_SERVICES:
        environment = services()[name]["environment"]
        unknown = set(environment) - variables_the_app_reads() - {"HF_HUB_OFFLINE"}
        assert unknown == set(), f"{name} sets variables the app never reads: {unknown}"


def test_compose_settings_parse_into_the_app_configuration(monkeypatch, tmp_path):
    from webapp.config import from_environment

    every = services()
    db_env = every["db"]["environment"]
    for name in APP_SERVICES:
        environment = every[name]["environment"]
        for key, value in environment.items():
            monkeypatch.setenv(key, "compose-secret" if key == "SECRET_KEY" else str(value))
        config = from_environment(tmp_path)
        url = make_url(config["SQLALCHEMY_DATABASE_URI"])
        assert url.drivername == "postgresql+psycopg" and url.host == "db"
        assert (url.username, url.password, url.database) == (
            db_env["POSTGRES_USER"],
            db_env["POSTGRES_PASSWORD"],
            db_env["POSTGRES_DB"],
        )
        assert config["REDIS_URL"].startswith("redis://redis:")
        assert config["TANDEM_EMBEDDER"] == "onnx"  # the bundled model without torch in the web tier
        assert config["TANDEM_LOG_FORMAT"] in {"logfmt", "json"}
        assert database_url(environment["DATABASE_URL"], tmp_path) == config["SQLALCHEMY_DATABASE_URI"]


def test_every_app_service_keeps_the_index_directory_on_the_shared_volume():
    every = services()
    for name in APP_SERVICES:
        index_dir = every[name]["environment"]["TANDEM_INDEX_DIR"]
        mounts = [volume.split(":") for volume in every[name]["volumes"]]
        assert any(volume in compose()["volumes"] and index_dir.startswith(target) for volume, target in mounts), name


def test_compose_commands_exist_in_the_app(app):
    every = services()
    assert command_of(every["web"])[:2] == ["gunicorn", "webapp:create_app()"]
    worker = command_of(every["worker"])
    assert worker[0] == "flask"
    group = app.cli.get_command(None, worker[1])
    assert group is not None and worker[2] in group.commands
    for step in " ".join(command_of(every["migrate"])[2:]).split("&&"):
        words = step.split()
        assert words[0] == "flask" and app.cli.get_command(None, words[1]) is not None, step


def test_image_installs_the_locked_dependencies_with_their_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock" in dockerfile
    lock = (ROOT / "requirements.lock").read_text()
    pinned = [line.split("==")[0] for line in lock.splitlines() if "==" in line and not line.startswith(("#", " "))]
    assert "flask" in pinned and "sentence-transformers" in pinned and "torch" not in pinned
    assert lock.count("--hash=sha256:") >= len(pinned)  # pip --require-hashes refuses a pin without one


def test_image_ships_the_gunicorn_settings_and_starts_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY gunicorn.conf.py" in dockerfile
    assert 'CMD ["gunicorn", "webapp:create_app()"]' in dockerfile


def test_compose_never_seeds_the_demo_or_prints_passwords_into_production():
    for name in APP_SERVICES:
        command = " ".join(command_of(services()[name]))
        assert "demo" not in command and "password" not in command.lower(), name


def test_the_mailer_delivers_and_reminds_from_the_shared_mail_folder(app):
    mailer = services()["mailer"]
    words = command_of(mailer)
    assert words[:3] == ["flask", "mail", "worker"] and "worker" in app.cli.get_command(None, "mail").commands
    assert mailer["environment"]["TANDEM_MAIL_DIR"].startswith("/var/lib/tandem")
