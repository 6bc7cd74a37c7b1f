"""E-mail: sent through a real SMTP server started here, retried when it fails, never lost, one
log line per message without its link; with no SMTP host, written to an outbox admins read."""

from __future__ import annotations

import logging

import pytest

from tests import factories
from tests.mailserver import smtp_config, smtp_server
from webapp import mail
from webapp.mail import mailbox

SECRET_LINK = "http://127.0.0.1:5000/checkin/very-secret-token-value"


def letter(to: str = "ana@example.org", organisation_id: int | None = None):
    return mail.compose(mail.Letter("test_message", to, "A test", organisation_id), link=SECRET_LINK)


@pytest.fixture(autouse=True)
def test_template(app, tmp_path):
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_loader = ChoiceLoader(
        [DictLoader({"mail/test_message.txt": "Open {{ link }} please."}), app.jinja_loader]
    )


def test_a_message_goes_through_a_real_smtp_server_with_login(app):
    with smtp_server(user="tandem", password="s3cret") as (inbox, port):
        app.config.update(smtp_config(port, TANDEM_SMTP_USER="tandem", TANDEM_SMTP_PASSWORD="s3cret"))
        mail.post([letter()])
    [received] = inbox.messages
    assert received["To"] == "ana@example.org" and received["Subject"] == "A test"
    assert SECRET_LINK in received.get_content()
    assert "X-Tandem-Kind" not in received and "X-Tandem-Organisation" not in received
    assert mailbox.waiting() == {"queue": 0, "failed": 0}


def test_a_failing_server_is_retried_and_the_message_is_never_lost(app, caplog):
    caplog.set_level(logging.INFO, logger="tandem.mail")
    with smtp_server() as (inbox, port):
        app.config.update(smtp_config(port))
        inbox.refuse_next = ["451 try again later"] * 3  # every quick try of the first run
        mail.post([letter()])
        assert inbox.messages == [] and mailbox.waiting()["queue"] == 1
        inbox.refuse_next = ["451 try again later"]  # the next run's first try fails, its second passes
        assert mail.deliver_pending(now=10**11)["sent"] == 1
    assert len(inbox.messages) == 1 and mailbox.waiting()["queue"] == 0
    lines = [record for record in caplog.records if record.name == "tandem.mail"]
    assert [r.getMessage() for r in lines] == ["mail kept for a later try", "mail sent"]
    assert lines[-1].fields["tries"] == 2 and lines[-1].fields["to"] == "a***@example.org"
    assert all("secret-token" not in str(vars(record)) for record in caplog.records)


def test_an_unreachable_server_keeps_the_message_queued(app):
    app.config.update(smtp_config(1))  # nothing listens on port 1
    mail.post([letter()])
    assert mailbox.waiting()["queue"] == 1
    queued = next((mailbox.mail_dir() / "queue").glob("*.eml"))
    assert SECRET_LINK in queued.read_text()


def test_a_permanent_refusal_moves_the_message_to_failed(app):
    with smtp_server() as (inbox, port):
        app.config.update(smtp_config(port))
        inbox.refuse_next = ["550 no such mailbox"]
        mail.post([letter()])
    assert mailbox.waiting() == {"queue": 0, "failed": 1}


def test_two_delivery_runs_never_send_a_message_twice(app):
    import threading

    with smtp_server() as (inbox, port):
        app.config.update(smtp_config(port, TANDEM_MAIL_INLINE=False))
        app.config["TANDEM_SMTP_HOST"] = None  # queue without delivering
        queue = mailbox._folder("queue")
        for i in range(20):
            mailbox._write(queue, mailbox._queue_name(0, 0, f"k{i}"), letter(f"p{i}@example.org"))
        app.config["TANDEM_SMTP_HOST"] = "127.0.0.1"

        def run():
            with app.app_context():
                mail.deliver_pending()

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(m["To"] for m in inbox.messages) == sorted(f"p{i}@example.org" for i in range(20))


def test_without_smtp_messages_land_in_the_outbox_that_admins_read(app, client, auth):
    org = factories.OrganisationFactory()
    other = factories.OrganisationFactory()
    admin = factories.UserFactory(admin=True, organisation=org, email="admin@example.org")
    factories.UserFactory(leader=True, organisation=org, email="leader@example.org")
    mail.post(
        [letter("mine@example.org", org.id), letter("theirs@example.org", other.id), letter("account@example.org")]
    )
    files = list((mailbox.mail_dir() / "outbox").glob("*.eml"))
    assert len(files) == 3
    auth.sign_in("leader@example.org")
    assert client.get("/admin/outbox").status_code == 403
    auth.sign_out()
    auth.sign_in(admin.email)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "mine@example.org" in page and "account@example.org" in page and "theirs@example.org" not in page
    assert f'<a href="{SECRET_LINK}" rel="noreferrer">{SECRET_LINK}</a>' in page


def test_links_in_mail_use_the_configured_base_url_not_the_request_host(app):
    app.config["TANDEM_BASE_URL"] = "https://tandem.example.org/app"
    with app.test_request_context("/", base_url="http://evil.example"):
        assert mail.absolute_url("auth.signin") == "https://tandem.example.org/app/signin"
