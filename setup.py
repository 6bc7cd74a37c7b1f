"""Everything about the package is in pyproject.toml; this adds one step to the build.

templates/, static/ and migrations/ stay at the top of the checkout (where Flask and Alembic
people look for them), and the wheel carries them inside the `webapp` package, where
`webapp.app_folder` finds them once installed."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

APP_FOLDERS = ("templates", "static", "migrations")


class BuildWithAppFolders(build_py):
    """The usual build, then the app's folders copied into the built `webapp` package."""

    def run(self) -> None:
        super().run()
        for folder in APP_FOLDERS:
            target = Path(self.build_lib) / "webapp" / folder
            shutil.copytree(folder, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithAppFolders})
