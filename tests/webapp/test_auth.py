"""Sign-up's form, sign-in and sign-out, with the bad input a person will type (what sign-up does with
a good form is in test_sign_up)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import Organisation, User

GOOD = {
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "password": "analytical engine 1843",
    "role": "freelancer",
    "organisation": "",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_weak_password_is_refused(client):
    response = client.post("/signup", data=GOOD | {"password": "short"})
    assert response.status_code == 422 and b"at least 10 characters" in response.data
    assert b"ada@example.org" in response.data and count(User) == 0


def test_missing_fields_and_over_long_text_are_refused(client):
    response = client.post("/signup", data={"role": "freelancer"})
    assert response.status_code == 422 and response.data.count(b"This field is required") >= 3
    response = client.post("/signup", data=GOOD | {"name": "x" * 201})
    assert response.status_code == 422 and b"longer than 200" in response.data
    assert count(User) == 0


def test_leader_needs_an_organisation_name(client):
    response = client.post("/signup", data=GOOD | {"role": "leader"})
    assert response.status_code == 422 and b"Name the organisation" in response.data
    assert count(Organisation) == 0


def test_wrong_csrf_token_gives_a_clear_message_and_keeps_the_input(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/signup", data=GOOD | {"csrf_token": "forged"})
    assert response.status_code == 422
    assert b"form expired" in response.data and b"Ada Lovelace" in response.data
    assert count(User) == 0


def test_signout_without_csrf_token_is_refused(app, client, auth):
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    auth.sign_in("f@example.org")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/signout").status_code == 400


def test_sign_in_with_wrong_password_says_so_without_revealing_the_account(client, auth):
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    wrong_password = auth.sign_in("f@example.org", "not the password")
    unknown_email = auth.sign_in("nobody@example.org", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 422
    assert b"match an account" in wrong_password.data

    def page(response, email: bytes) -> bytes:  # each page carries its own CSRF token
        return re.sub(rb'(csrf_token" value="|"X-CSRFToken": ")[^"]+', b"", response.data.replace(email, b""))

    assert page(wrong_password, b"f@example.org") == page(unknown_email, b"nobody@example.org")


def test_sign_in_then_out_invalidates_the_old_session_cookie(client, auth):
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    assert auth.sign_in("f@example.org").status_code == 302
    stolen = client.get_cookie("session").value
    assert client.get("/needs-for-me").status_code == 200
    auth.sign_out()
    client.set_cookie("session", stolen)
    assert client.get("/needs-for-me").status_code == 302  # back to sign-in


def test_sign_in_follows_only_local_next_urls(client):
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    response = client.post(
        "/signin?next=https://evil.example/", data={"email": "f@example.org", "password": factories.PASSWORD}
    )
    assert response.location == "/"
    client.post("/signout")
    response = client.post(
        "/signin?next=/needs-for-me", data={"email": "f@example.org", "password": factories.PASSWORD}
    )
    assert response.location == "/needs-for-me"


@pytest.mark.parametrize(
    "target",
    [
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/\x00/evil",
        " /needs",
        "/needs\r\nLocation: x",
    ],
)
def test_sign_in_refuses_every_next_that_is_not_plainly_same_site(target):
    from webapp.auth.routes import plain_local_path

    assert plain_local_path(target) is None


@pytest.mark.parametrize("target", ["/needs-for-me", "/needs/3?page=2", "/engagements/4#plan"])
def test_sign_in_keeps_plain_local_paths(target):
    from webapp.auth.routes import plain_local_path

    assert plain_local_path(target) == target
