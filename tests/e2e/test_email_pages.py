"""The email choices page and the unsubscribe link in a browser, at desktop and phone widths:
switching a group off, and unsubscribing logged out from an email's link (and a broken link)."""

import re

from playwright.sync_api import Page, expect

from messaging.models import EmailPreference
from messaging.unsubscribe import unsubscribe_token
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, make_freelancer


def _shots(page: Page, folder, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_choosing_emails_and_unsubscribing_from_a_link(page: Page, asgi_server, artifacts_dir):
    shots = artifacts_dir / "screenshots"
    ada = make_freelancer(email="ada@example.com", full_name="Ada Lovelace")

    page.goto(asgi_server + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill(ada.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(asgi_server + "/account/emails/")
    expect(page.get_by_role("heading", name="Notification emails", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Notification emails", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    messages = page.get_by_role("checkbox", name="Messages")
    expect(messages).to_be_checked()
    messages.uncheck()
    page.get_by_role("button", name="Save email choices").click()
    expect(page.locator("#messages")).to_contain_text("Your email choices are saved.")
    expect(page.get_by_role("checkbox", name="Messages")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Offers")).to_be_checked()
    assert EmailPreference.objects.get(user=ada).messages is False
    _shots(page, shots, "email-preferences")

    # An email's link, opened logged out (another browser context).
    context = page.context.browser.new_context(viewport=DESKTOP)
    visitor = context.new_page()
    link = f"{asgi_server}/email/unsubscribe/{unsubscribe_token(user_id=ada.pk, group='money')}/"
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Unsubscribe?")).to_be_visible()
    expect(visitor.get_by_text("a•••@example.com")).to_be_visible()
    _shots(visitor, shots, "email-unsubscribe")
    visitor.get_by_role("button", name="Unsubscribe").click()
    expect(visitor.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert EmailPreference.objects.get(user=ada).money is False
    _shots(visitor, shots, "email-unsubscribed")

    response = visitor.goto(link[:-3] + "xx/")
    assert response.status == 400
    expect(visitor.get_by_role("heading", name="This link does not work")).to_be_visible()
    _shots(visitor, shots, "email-unsubscribe-invalid")
    context.close()
