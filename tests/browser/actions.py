"""What a person does in the browser, shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories


def sign_in(page, email: str, password: str = factories.PASSWORD) -> None:
    """Signs in through the form and waits until the signed-in layout is shown."""
    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()  # on a phone: folded


def settled(page) -> None:
    """Waits until htmx has finished swapping and settling (new content reacts only then)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def sign_out(page) -> None:
    """Signs out through the menu (opening it first where it is folded, as on a phone)."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", include_hidden=True)).to_be_attached()
