"""The only reader of HX-* headers. Responses that depend on them say so with `Vary`."""

from __future__ import annotations

from flask import Flask, Response, request


def is_fragment_request() -> bool:
    """True for an htmx request that wants a partial; history restores want the full page."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def init_app(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        response.vary.add("HX-Request")
        return response
