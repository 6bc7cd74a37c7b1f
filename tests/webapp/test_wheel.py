"""An installed wheel carries templates/, static/ and migrations/ and the app finds them there,
not only in a checkout. The wheel is built as a deployment would (`pip wheel --no-deps`) and
unpacked, which is all that installing a pure-Python wheel does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_FOLDERS = ("templates", "static", "migrations")
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "webapp", "matching", *APP_FOLDERS)

pytestmark = pytest.mark.slow

# Run from the unpacked wheel, away from the checkout: creates the app, migrates a fresh SQLite
# database with the wheel's migrations and renders a page with the wheel's templates.
FROM_THE_WHEEL = """
import json, sys
from flask_migrate import upgrade
import webapp
app = webapp.create_app({
    "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "wheel", "TESTING": True,
    "TANDEM_EMBEDDER": "fake", "TANDEM_INDEX_DIR": sys.argv[2],
})
with app.app_context():
    upgrade()
with app.test_client() as client:
    page = client.get("/signin")
    css = client.get("/static/css/tandem.css")
print(json.dumps({
    "package": webapp.__file__, "templates": app.template_folder, "static": app.static_folder,
    "migrations": app.extensions["migrate"].directory,
    "signin": page.status_code, "rendered": "<html" in page.get_data(as_text=True), "css": css.status_code,
}))
"""


def checkout_files(folder: str) -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the sources, so that no earlier build/ folder can lend it files."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(out), "."],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    [wheel_file] = out.glob("tandem-*.whl")
    return wheel_file


def test_the_wheel_carries_every_template_static_file_and_migration(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in APP_FOLDERS:
        expected = {f"webapp/{name}" for name in checkout_files(folder)}
        assert expected and expected <= names, sorted(expected - names)[:5]
    assert not any("__pycache__" in name for name in names if name.startswith("webapp/migrations/"))


def test_the_app_installed_from_the_wheel_finds_its_folders_inside_the_package(wheel, tmp_path):
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    env = os.environ | {"PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", FROM_THE_WHEEL, str(tmp_path / "tandem.db"), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    package = site / "webapp"
    assert Path(found["package"]).parent == package
    for folder in APP_FOLDERS:
        assert Path(found[folder]) == package / folder
    assert found["signin"] == 200 and found["rendered"] and found["css"] == 200
