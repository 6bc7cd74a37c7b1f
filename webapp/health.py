"""Liveness and readiness for load balancers and orchestrators.

/healthz: the process answers. /readyz: the database is reachable and this process's indexes
are loaded with every committed change applied (503 with the reason otherwise)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .access import public
from .extensions import db
from .search.readiness import index_readiness

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.route("/healthz")
    @public
    def liveness():
        """The process answers: for restarts, never for traffic (that is /readyz)."""
        return jsonify(status="ok")

    @app.route("/readyz")
    @public
    def readiness():
        """200 once the database answers and this process's indexes are current, 503 until then."""
        try:
            db.session.execute(text("SELECT 1"))
            ready, index = index_readiness()
        except DBAPIError:
            db.session.rollback()
            return jsonify(status="unavailable", database="unreachable"), 503
        except Exception:
            log.exception("readiness: the indexes could not be brought up to date")
            db.session.rollback()
            return jsonify(status="unavailable", database="ok", index="failing"), 503
        # Only states: how many profiles or needs there are is nobody's business but the operator's
        # (`flask index status` tells them).
        states = {kind: _word(entry) for kind, entry in index.items()}
        return jsonify(status="ok" if ready else "unavailable", database="ok", index=states), 200 if ready else 503


def _word(entry) -> str:
    if not isinstance(entry, dict):
        return entry  # "loading", or "building" (another process is writing the file)
    return "ready" if entry["pending"] == 0 else "catching up"
