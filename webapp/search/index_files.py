"""The saved index files, shared by every process of the machine that serves them.

Each kind's folder holds content-named data files and a manifest replaced last (VectorIndex.save),
so a reader finds the old set or the new one, never half of either. Building is guarded by a
lock file (flock): one process builds while the others wait, or, where waiting is not allowed
(readiness checks), report the index as building. The kernel drops a dead process's lock, so a
builder killed mid-write leaves the old files and a free lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from matching import MANIFEST

from ..models import ItemKind


class IndexBuilding(Exception):
    """Another process is building this index, and the caller may not wait for it."""


def index_dir() -> Path:
    return Path(current_app.config["TANDEM_INDEX_DIR"])


def index_path(kind: ItemKind) -> Path:
    return index_dir() / kind.value


def file_stamp(kind: ItemKind) -> tuple[int, int] | None:
    """What identifies the saved manifest now (inode, mtime); None when there is none. A rebuild
    replaces the manifest, so a changed stamp means a newer file to map."""
    try:
        stat = os.stat(index_path(kind) / MANIFEST)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


@contextmanager
def build_lock(kind: ItemKind, *, wait: bool = True) -> Iterator[None]:
    """Held while this process builds `kind`'s files; IndexBuilding when busy and not `wait`."""
    index_dir().mkdir(parents=True, exist_ok=True)
    with open(index_dir() / f".{kind.value}.build.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise IndexBuilding(kind.value) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
