"""The only reader of HX-* headers (through htmx-flask's `request.htmx`). Responses that depend
on them say so with `Vary`."""

from __future__ import annotations

from flask import Flask, Response
from htmx_flask import request  # Flask's request, typed with the `htmx` headers htmx-flask adds


def is_fragment_request() -> bool:
    """True for an htmx request that wants a partial; history restores want the full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def init_app(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        response.vary.add("HX-Request")
        return response
