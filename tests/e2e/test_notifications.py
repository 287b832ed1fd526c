"""The bell and the notifications page in a browser: the count updates live over the websocket,
marking read updates it too, and both look right on a desktop and a phone."""

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from playwright.sync_api import Page, expect

from messaging.models import Notification
from messaging.services import notification_create, notifications_mark_read
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, make_freelancer, make_user

Kind = Notification.Kind


def _off_the_event_loop(function, **kwargs):
    """Sync Playwright runs an event loop in this thread, and the push after commit needs a thread
    without one (``async_to_sync``); so the service runs in a thread of its own."""

    def call():
        try:
            return function(**kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def notify(user, kind: str, title: str, body: str, url: str = "/dashboard/", actor=None) -> Notification:
    return _off_the_event_loop(
        notification_create,
        recipient_ids=[user.pk],
        kind=kind,
        title=title,
        body=body,
        url=url,
        actor_id=actor.pk if actor else None,
    )[0]


def shot(page: Page, path) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"horizontal scroll on {page.url}: {width}px"


def test_the_bell_counts_live_and_the_page_marks_read(page: Page, asgi_server, artifacts_dir):
    shots = artifacts_dir / "screenshots"
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    freelancer = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    client = make_user(full_name="Harriet Cole")
    read = notify(
        freelancer,
        Kind.JOB_INVITATION,
        "Harriet Cole invited you to propose on “Booking page for a yoga studio”",
        "We loved your portfolio; would you have time in March?",
        actor=client,
    )
    _off_the_event_loop(notifications_mark_read, acting_user=freelancer, notification_id=read.pk)
    notify(
        freelancer,
        Kind.PROPOSAL_SHORTLISTED,
        "You're on the shortlist for “Booking page for a yoga studio”",
        "Harriet Cole shortlisted your proposal.",
        actor=client,
    )
    notify(
        freelancer,
        Kind.OFFER_RECEIVED,
        "Offer from Northwind Retail: “Store network refit, 14 stores”",
        "$12,400.00; answer within 7 days.",
        url="/dashboard/?offer",
    )

    page.goto(asgi_server + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill(freelancer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    bell = page.locator("a.bell")
    expect(bell).to_have_accessible_name("2 unread notifications")
    expect(bell.locator(".bell__count")).to_have_text("2")
    page.wait_for_timeout(500)  # the websocket connects after load

    # A notification arriving while the page is open: the count changes without a reload.
    notify(
        freelancer,
        Kind.CONTRACT_STARTED,
        "Contract started: “Logo for a bakery”",
        "With Kaya Coffee Roasters, $900.00.",
    )
    expect(bell).to_have_accessible_name("3 unread notifications")
    expect(page.locator("[data-bell-announce]")).to_have_text(
        "New notification: Contract started: “Logo for a bakery”"
    )
    page.screenshot(
        path=shots / "notifications-bell-desktop.png", clip={"x": 0, "y": 0, "width": 1280, "height": 80}
    )

    bell.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(bell).to_have_attribute("aria-current", "page")
    rows = page.locator(".notification")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Contract started")
    expect(page.locator(".notification--unread")).to_have_count(3)
    shot(page, shots / "notifications-desktop.png")

    # Mark one read in place (htmx): the row and the bell follow.
    page.get_by_role("button", name=re.compile(r"^Mark read\W+Contract started")).click()
    expect(page.locator(".notification--unread")).to_have_count(2)
    expect(bell).to_have_accessible_name("2 unread notifications")
    expect(page.locator("[data-unread-count]")).to_have_text("2")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(bell).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, shots / "notifications-phone.png")

    # Following one goes to its page and marks it read.
    page.get_by_role("link", name=re.compile(r"Offer from Northwind Retail")).click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?offer$"))
    expect(bell).to_have_accessible_name("1 unread notification")

    page.goto(asgi_server + "/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#messages")).to_contain_text("Marked 1 notification as read.")
    expect(bell).to_have_accessible_name("Notifications, none unread")
    expect(bell.locator(".bell__count")).to_be_hidden()
    page.locator("nav.tabs").get_by_role("link", name=re.compile("^Unread")).click()
    expect(page.get_by_text("You're all caught up")).to_be_visible()
    shot(page, shots / "notifications-caught-up-phone.png")

    assert errors == []


def test_a_new_account_sees_the_empty_state(page: Page, asgi_server, artifacts_dir):
    freelancer = make_freelancer(email="new@example.com")
    page.goto(asgi_server + "/accounts/login/?next=/notifications/")
    page.get_by_label("Email", exact=True).fill(freelancer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("No notifications yet")).to_be_visible()
    expect(page.locator("a.bell")).to_have_accessible_name("Notifications, none unread")
    shot(page, artifacts_dir / "screenshots" / "notifications-empty-desktop.png")
