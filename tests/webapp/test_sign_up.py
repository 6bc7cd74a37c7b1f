"""Sign-up tells nobody which e-mail addresses or organisation names are taken: every accepted
sign-up gets the same "check your e-mail" page, the mailbox hears the rest, and an account only
exists once its address is confirmed by a one-use, expiring link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests import factories, outbox
from webapp.extensions import db
from webapp.models import AuditEvent, FreelancerProfile, Organisation, PendingSignUp, Role, User, utcnow

FREELANCER = {
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "password": "analytical engine 1843",
    "role": "freelancer",
    "organisation": "",
}
LEADER = FREELANCER | {"role": "leader", "organisation": "Analytical Engines"}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def page(response, *typed: str) -> bytes:
    """The page without what differs by itself: its CSRF token and the values typed into it."""
    body = re.sub(rb'(csrf_token" value="|"X-CSRFToken": ")[^"]+', b"", response.data)
    for value in typed:
        body = body.replace(value.encode(), b"")
    return body


def confirm_path(email: str) -> str:
    token = outbox.sign_up_token(email)
    assert token, f"no confirmation link was sent to {email}"
    return f"/signup/confirm/{token}"


def sign_up_and_confirm(client, form: dict) -> None:
    assert client.post("/signup", data=form).status_code == 200
    assert client.post(confirm_path(form["email"]), data={"organisation": form["organisation"]}).status_code == 302


# What someone who types an address or an organisation name learns from the answer: nothing.


def test_sign_up_answers_the_same_for_a_taken_and_a_new_address(client):
    factories.UserFactory(email="taken@example.org")
    db.session.commit()
    taken = client.post("/signup", data=FREELANCER | {"email": "taken@example.org"})
    new = client.post("/signup", data=FREELANCER | {"email": "new@example.org"})
    assert taken.status_code == new.status_code == 200
    assert page(taken, "taken@example.org") == page(new, "new@example.org")
    assert b"Check your e-mail" in new.data
    assert client.get("/needs-for-me").status_code == 302  # nobody is signed in by either


def test_sign_up_answers_the_same_for_a_taken_and_a_new_organisation_name(client):
    factories.OrganisationFactory(name="Acme")
    db.session.commit()
    taken = client.post("/signup", data=LEADER | {"email": "one@example.org", "organisation": "ACME"})
    new = client.post("/signup", data=LEADER | {"email": "two@example.org", "organisation": "Brand New Ltd"})
    assert taken.status_code == new.status_code == 200
    assert page(taken, "one@example.org", "ACME") == page(new, "two@example.org", "Brand New Ltd")


def test_the_password_is_hashed_whatever_was_typed(client, monkeypatch):
    """The slow hash runs once for a taken address too, so the answer's timing tells nothing."""
    from webapp.auth import sign_ups

    hashed = []
    monkeypatch.setattr(sign_ups, "hash_password", lambda password: hashed.append(password) or "quick:" + password)
    factories.UserFactory(email="taken@example.org")
    db.session.commit()
    client.post("/signup", data=FREELANCER | {"email": "taken@example.org"})
    client.post("/signup", data=FREELANCER | {"email": "new@example.org"})
    assert hashed == [FREELANCER["password"]] * 2


# A new address: a confirmation link, and no account until it is opened.


def test_a_new_address_gets_a_link_and_no_account_until_it_is_opened(client):
    client.post("/signup", data=FREELANCER | {"email": " ADA@example.org"})
    assert count(User) == 0 and count(FreelancerProfile) == 0
    [message] = outbox.messages(to="ada@example.org")
    assert "Confirm" in message.subject and "24 hours" in message.body
    path = confirm_path("ada@example.org")
    assert client.get(path).status_code == 200  # a page with a button: a mail scanner can't confirm
    assert count(User) == 0
    response = client.post(path)
    assert response.status_code == 302 and response.location.endswith("/")
    assert client.get("/", follow_redirects=True).request.path == "/needs-for-me"
    user = db.session.scalar(select(User))
    assert user.email == "ada@example.org" and user.role is Role.FREELANCER and user.password_hash.startswith("$argon2")
    assert count(FreelancerProfile) == 1 and count(PendingSignUp) == 0
    assert count(AuditEvent, AuditEvent.action == "signed_up") == 1


def test_a_leader_gets_their_organisation_and_leads_its_first_team_once_confirmed(client):
    client.post("/signup", data=LEADER)
    assert count(Organisation) == 0
    assert client.post(confirm_path("ada@example.org"), data={"organisation": "Analytical Engines"}).status_code == 302
    user = db.session.scalar(select(User))
    assert user.role is Role.LEADER and user.organisation.name == "Analytical Engines"
    assert user in user.organisation.teams[0].leaders
    assert client.get("/needs/").status_code == 200


def test_the_confirmed_account_signs_in_with_the_password_typed_at_sign_up(client, auth):
    sign_up_and_confirm(client, FREELANCER)
    auth.sign_out()
    assert auth.sign_in("ada@example.org", FREELANCER["password"]).status_code == 302


def test_a_confirmation_link_works_once(client):
    client.post("/signup", data=FREELANCER)
    path = confirm_path("ada@example.org")
    assert client.post(path).status_code == 302
    client.post("/signout")
    again = client.post(path)
    assert again.status_code == 400 and b"already used" in again.data
    assert client.get(path).status_code == 400 and count(User) == 1


def test_a_confirmation_link_expires_and_expired_sign_ups_are_forgotten(client):
    client.post("/signup", data=FREELANCER)
    path = confirm_path("ada@example.org")
    db.session.execute(PendingSignUp.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400 and count(User) == 0
    client.post("/signup", data=FREELANCER | {"email": "bob@example.org"})  # any later sign-up sweeps old ones
    assert db.session.scalars(select(PendingSignUp.email)).all() == ["bob@example.org"]


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character changed
        lambda token: "x" * len(token),
        lambda token: token + "x",
    ],
)
def test_a_forged_confirmation_link_is_refused(client, forge):
    client.post("/signup", data=FREELANCER)
    forged = f"/signup/confirm/{forge(outbox.sign_up_token('ada@example.org'))}"
    assert client.get(forged).status_code == 400
    assert client.post(forged).status_code == 400 and count(User) == 0


def test_only_the_hash_of_the_token_is_stored(client):
    client.post("/signup", data=FREELANCER)
    token = outbox.sign_up_token("ada@example.org")
    stored = db.session.scalar(select(PendingSignUp))
    assert token not in (stored.token_hash, stored.password_hash) and len(stored.token_hash) == 64
    assert stored.password_hash.startswith("$argon2")


def test_an_unconfirmed_sign_up_cannot_sign_in_and_hears_the_generic_message(client, auth):
    client.post("/signup", data=FREELANCER)
    unconfirmed = auth.sign_in("ada@example.org", FREELANCER["password"])
    unknown = auth.sign_in("nobody@example.org", FREELANCER["password"])
    assert unconfirmed.status_code == unknown.status_code == 422
    assert b"match an account" in unconfirmed.data
    assert page(unconfirmed, "ada@example.org") == page(unknown, "nobody@example.org")


# An address that already has an account: its owner hears that someone tried.


def test_a_taken_address_hears_that_someone_tried_with_links_to_sign_in(client):
    owner = factories.UserFactory(email="taken@example.org", name="Grace Owner")
    db.session.commit()
    password_before = owner.password_hash
    client.post("/signup", data=FREELANCER | {"email": "Taken@example.org", "name": "Mallory"})
    [message] = outbox.messages(to="taken@example.org")
    assert "already" in message.subject.lower()
    assert "http://127.0.0.1:5000/signin" in message.body and "http://127.0.0.1:5000/signin/link" in message.body
    assert "/signup/confirm/" not in message.body and "Mallory" not in message.body
    assert count(PendingSignUp) == 0 and count(User) == 1
    db.session.refresh(owner)
    assert owner.password_hash == password_before and owner.name == "Grace Owner"


# Organisation names: the page never says; the mailbox that asked is told, and may pick another.


def test_a_taken_organisation_name_is_explained_in_the_mail_and_another_can_be_chosen(client):
    factories.OrganisationFactory(name="Acme")
    db.session.commit()
    client.post("/signup", data=LEADER | {"organisation": "acme"})
    [message] = outbox.messages(to="ada@example.org")
    assert "already on Tandem" in message.body and "acme" in message.body
    path = confirm_path("ada@example.org")
    refused = client.post(path, data={"organisation": "ACME"})
    assert refused.status_code == 422 and b"already on Tandem" in refused.data and count(User) == 0
    assert client.post(path, data={"organisation": "Acme Robotics"}).status_code == 302
    assert db.session.scalar(select(User)).organisation.name == "Acme Robotics" and count(Organisation) == 2


def test_a_leader_must_name_an_organisation_when_confirming(client):
    client.post("/signup", data=LEADER)
    response = client.post(confirm_path("ada@example.org"), data={"organisation": "  "})
    assert response.status_code == 422 and b"Name the organisation" in response.data and count(User) == 0


def test_a_name_taken_while_the_link_waited_is_refused_friendly(client):
    client.post("/signup", data=LEADER)
    factories.OrganisationFactory(name="analytical engines")
    db.session.commit()
    response = client.post(confirm_path("ada@example.org"), data={"organisation": "Analytical Engines"})
    assert response.status_code == 422 and b"already on Tandem" in response.data
    assert count(User) == 0 and count(PendingSignUp) == 1  # the link still works with another name


def test_an_organisation_taken_at_the_same_moment_loses_at_the_database(client, monkeypatch):
    client.post("/signup", data=LEADER)
    factories.OrganisationFactory(name="Analytical Engines")
    db.session.commit()
    monkeypatch.setattr("webapp.auth.sign_ups.organisation_taken", lambda name: False)  # it looked free
    response = client.post(confirm_path("ada@example.org"), data={"organisation": "ANALYTICAL ENGINES"})
    assert response.status_code == 422 and b"already on Tandem" in response.data
    assert count(User) == 0 and count(Organisation) == 1 and count(PendingSignUp) == 1


# Double submits and races: one account, and a friendly word for the rest.


def test_two_sign_ups_with_one_address_give_one_account(client):
    client.post("/signup", data=FREELANCER)
    client.post("/signup", data=FREELANCER | {"email": "ADA@example.org"})
    first, second = [
        f"/signup/confirm/{outbox.SIGN_UP_LINK.search(m.body).group(1)}" for m in outbox.messages(to="ada@example.org")
    ]
    assert client.post(second).status_code == 302
    client.post("/signout")
    later = client.post(first)
    assert later.status_code == 400 and b"sign in" in later.data.lower()
    assert count(User, User.email == "ada@example.org") == 1 and count(PendingSignUp) == 0


def test_an_address_given_an_account_while_the_link_waited_is_sent_to_sign_in(client):
    client.post("/signup", data=FREELANCER)
    factories.UserFactory(email="ada@example.org")  # `flask users create`, say
    db.session.commit()
    response = client.post(confirm_path("ada@example.org"))
    assert response.status_code == 302 and response.location.endswith("/signin")
    assert count(User) == 1 and count(PendingSignUp) == 0


def test_an_address_confirmed_at_the_same_moment_loses_at_the_database(client, monkeypatch):
    client.post("/signup", data=FREELANCER)
    factories.UserFactory(email="ada@example.org")
    db.session.commit()
    monkeypatch.setattr("webapp.auth.sign_ups.find_user_by_email", lambda email: None)  # it looked free
    response = client.post(confirm_path("ada@example.org"))
    assert response.status_code == 302 and response.location.endswith("/signin")
    assert count(User) == 1


def test_a_signed_in_person_is_not_asked_to_sign_up(client, auth):
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    auth.sign_in("f@example.org")
    assert client.post("/signup", data=FREELANCER).status_code == 302 and outbox.messages() == []


def test_sign_up_still_refuses_what_it_refused(client):
    """Form errors are about what was typed, never about who has an account."""
    response = client.post("/signup", data=FREELANCER | {"password": "short"})
    assert response.status_code == 422 and b"at least 10 characters" in response.data
    assert b"ada@example.org" in response.data
    response = client.post("/signup", data=LEADER | {"organisation": ""})
    assert response.status_code == 422 and b"Name the organisation" in response.data
    assert outbox.messages() == [] and count(PendingSignUp) == 0
