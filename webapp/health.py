"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy import text

from .access import public
from .extensions import db


def init_app(app: Flask) -> None:
    @app.route("/healthz")
    @public
    def liveness():
        return jsonify(status="ok")

    @app.route("/readyz")
    @public
    def readiness():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            db.session.rollback()
            return jsonify(status="unavailable", database="unreachable"), 503
        return jsonify(status="ok", database="ok")
