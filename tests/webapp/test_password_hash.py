"""The password hash's cost is a setting, and a hash made with another one is renewed at sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from tests import factories
from webapp.auth.passwords import PROFILES, hash_password, needs_rehash, verify_password
from webapp.extensions import db


def test_new_hashes_follow_the_configured_profile(app):
    owasp = extract_parameters(hash_password("analytical engine 1843"))
    assert (owasp.memory_cost, owasp.time_cost, owasp.parallelism) == (19 * 1024, 2, 1)
    app.config["TANDEM_PASSWORD_HASH"] = "rfc9106"
    assert extract_parameters(hash_password("analytical engine 1843")) == RFC_9106_LOW_MEMORY


def test_a_hash_made_with_other_settings_still_verifies_and_needs_renewing(app):
    old = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash("analytical engine 1843")
    assert verify_password(old, "analytical engine 1843")
    assert not verify_password(old, "difference engine 1822")
    assert needs_rehash(old)
    assert not needs_rehash(hash_password("analytical engine 1843"))
    assert not needs_rehash("not a hash at all")


def test_sign_in_renews_a_hash_made_with_other_settings_once(app, auth):
    old = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash(factories.PASSWORD)
    user = factories.UserFactory(email="f@example.org", password_hash=old)
    db.session.commit()

    assert auth.sign_in("f@example.org").status_code == 302
    db.session.refresh(user)
    renewed = user.password_hash
    assert extract_parameters(renewed) == PROFILES["owasp"]
    assert verify_password(renewed, factories.PASSWORD)

    auth.sign_out()
    assert auth.sign_in("f@example.org").status_code == 302
    db.session.refresh(user)
    assert user.password_hash == renewed  # current already: not hashed again


def test_a_wrong_password_leaves_an_old_hash_as_it_was(app, auth):
    old = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash(factories.PASSWORD)
    user = factories.UserFactory(email="f@example.org", password_hash=old)
    db.session.commit()
    assert auth.sign_in("f@example.org", "not the password").status_code == 422
    db.session.refresh(user)
    assert user.password_hash == old
