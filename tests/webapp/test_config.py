from pathlib import Path

import pytest

from webapp.config import database_url, index_kind, password_hash_profile, secret_key


def test_default_database_is_sqlite_under_instance(tmp_path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'tandem.db'}"


def test_postgres_urls_get_the_psycopg_driver(tmp_path):
    assert database_url("postgres://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) == 64 and first == secret_key(tmp_path)
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"
    assert not Path(tmp_path / "secret_key").exists()


def test_index_kind_is_checked_when_read():
    assert index_kind(None) == "auto" and index_kind(" HNSW_SQ8 ") == "hnsw_sq8"
    with pytest.raises(ValueError, match="choose one of auto, flat, hnsw, hnsw_sq8"):
        index_kind("ivf")


def test_follow_up_days_and_newcomer_floor_default_and_are_checked():
    from webapp.config import whole_number

    assert whole_number("TANDEM_FOLLOWUP_DAYS", None, 90, 1) == 90
    assert whole_number("TANDEM_FOLLOWUP_DAYS", "30", 90, 1) == 30
    assert whole_number("TANDEM_NEWCOMER_FLOOR", "0", 10, 0) == 0
    for raw in ("0", "-3", "ninety", "2.5"):
        with pytest.raises(ValueError, match=r"TANDEM_FOLLOWUP_DAYS=.*whole number of at least 1"):
            whole_number("TANDEM_FOLLOWUP_DAYS", raw, 90, 1)


def test_password_hash_profile_defaults_to_owasp_and_is_checked():
    assert password_hash_profile(None) == password_hash_profile("") == "owasp"
    assert password_hash_profile(" RFC9106 ") == "rfc9106"
    with pytest.raises(ValueError, match="TANDEM_PASSWORD_HASH='md5': choose one of owasp, rfc9106"):
        password_hash_profile("md5")


def test_texts_vectors_are_kept_unless_switched_off(tmp_path, monkeypatch):
    from webapp.config import from_environment

    monkeypatch.delenv("TANDEM_KEEP_TEXT_VECTORS", raising=False)
    assert from_environment(tmp_path)["TANDEM_KEEP_TEXT_VECTORS"] is True
    monkeypatch.setenv("TANDEM_KEEP_TEXT_VECTORS", "off")
    assert from_environment(tmp_path)["TANDEM_KEEP_TEXT_VECTORS"] is False
