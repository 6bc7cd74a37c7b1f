"""Structured logs: one line per event as key=value pairs (or JSON lines), each carrying the
request id, one access line per request, and secrets masked before anything is written.

Check-in links carry their token in the URL, so paths are logged with token segments masked,
and the same masking runs over every message and traceback, whoever logs it (werkzeug's dev
server and gunicorn's own loggers included)."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time

from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect

SECRET_VIEW_ARGS = frozenset({"token"})
SECRET_URL_PREFIXES = (
    "/checkin/",
    "/followup/",
    "/signin/link/",
    "/signup/confirm/",
)  # every route with a secret view arg (a test walks the URL map)
_SECRET_URL = re.compile("(" + "|".join(re.escape(p) for p in SECRET_URL_PREFIXES) + r")[^/?#\s\"']+")
# Anywhere else, a URL segment of 32+ URL-safe characters in mixed case is taken for a token.
_TOKEN_SEGMENT = re.compile(r"(?<=/)(?=[\w\-]*[A-Z])(?=[\w\-]*[a-z])[A-Za-z0-9_\-]{32,}")
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_SECRET_PAIR = re.compile(
    r"\b((?:password|passwd|token|secret|api_key)\w*[\"']?\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,&;]+)", re.I
)
FIELDS = ("method", "path", "status", "ms", "user", "remote")
ACCESS = logging.getLogger("tandem.access")


def mask(text: str) -> str:
    """`text` with tokens in URLs, passwords in connection URLs and `password=...` values masked."""
    text = _SECRET_URL.sub(r"\1***", text)
    text = _TOKEN_SEGMENT.sub("***", text)
    text = _URL_PASSWORD.sub(r"\1***@", text)
    return _SECRET_PAIR.sub(r"\1***", text)


class RequestContext(logging.Filter):
    """Adds the request id and masks the message; attached to every handler, so it sees all."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        if has_request_context() and not hasattr(record, "path"):
            record.method, record.path, record.user = request.method, masked_path(), _user_id()
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class LogfmtFormatter(logging.Formatter):
    """`time=... level=info logger=... request_id=... msg="..."` plus the access fields."""

    def fields(self, record: logging.LogRecord) -> dict:
        fields = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # which worker: each holds its own indexes
            "request_id": getattr(record, "request_id", "-"),
            "msg": record.getMessage(),
        }
        fields.update((name, getattr(record, name)) for name in FIELDS if hasattr(record, name))
        fields.update(getattr(record, "fields", {}))  # an event's own fields, e.g. a message sent
        if record.exc_info:
            fields["error"] = mask(self.formatException(record.exc_info))
        return fields

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{key}={_logfmt_value(value)}" for key, value in self.fields(record).items())


class JsonFormatter(LogfmtFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(self.fields(record), default=str)


def _logfmt_value(value) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\\\n\t'):
        return text
    return json.dumps(text)


def formatter_for(name: str) -> logging.Formatter:
    return JsonFormatter() if name == "json" else LogfmtFormatter()


def install(format_name: str = "logfmt", level: int = logging.INFO) -> None:
    """Every root handler (one on stderr if there is none) writes structured, masked lines."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # which CPU build it picked, at length
    for handler in root.handlers:
        handler.setFormatter(formatter_for(format_name))
        if not any(isinstance(f, RequestContext) for f in handler.filters):
            handler.addFilter(RequestContext())


def masked_path() -> str:
    """The request path with its secret parts (check-in tokens) replaced by ***."""
    path, args = request.path, request.view_args or {}
    for name in SECRET_VIEW_ARGS & args.keys():
        path = path.replace(str(args[name]), "***")
    return mask(path)


def _user_id() -> int | str:
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    identity = inspect(user).identity  # read without a query: the database may be down
    return identity[0] if identity else "-"


def init_app(app: Flask) -> None:
    install(app.config.get("TANDEM_LOG_FORMAT", "logfmt"))

    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else secrets.token_hex(8)
        g.request_started = time.perf_counter()

    @app.after_request
    def access_line(response):
        started = g.get("request_started")
        quiet = request.endpoint in {"static", "liveness", "readiness"}
        ACCESS.log(
            logging.DEBUG if quiet else logging.INFO,
            "request",
            extra={
                "method": request.method,
                "path": masked_path(),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1) if started else "-",
                "user": _user_id(),
                "remote": request.remote_addr or "-",
            },
        )
        return response
