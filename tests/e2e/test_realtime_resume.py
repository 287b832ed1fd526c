"""realtime.js across a server restart: the page reconnects by itself, resumes after its last id and
hands each missed event to its subscribers once and in order (the bell follows); when what it
missed is older than the log keeps, it shows a Reload banner instead."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from messaging.models import Notification, UserEvent
from tests.e2e.conftest import PHONE
from tests.e2e.test_notifications import notify
from tests.factories import PASSWORD, make_freelancer
from tests.support.processes import VENV_BIN, env_on_test_database, free_port, running, wait_for_http

Kind = Notification.Kind


@contextmanager
def _server(settings, port: int, log) -> Iterator[str]:
    command = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
    with running(command, env=env_on_test_database(settings), log=log) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", proc=proc, log=log)
        yield base


def _log_in(page: Page, base: str, user) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def _record(page: Page) -> None:
    """A subscriber of the test's own, beside the bell: the ids it is handed, in order."""
    page.wait_for_function("() => window.marketplaceRealtime !== undefined")
    page.evaluate(
        "window.seenIds = []; window.marketplaceRealtime.on('notification', (e) => seenIds.push(e.id))"
    )


def _notify(user, n: int) -> None:
    notify(user, Kind.CONTRACT_STARTED, f"Contract started: “Job {n}”", "With Kaya Coffee Roasters.")


@pytest.fixture
def server(transactional_db, settings, artifacts_dir, request):
    """Starts the ASGI server, again and again on the same port (a restart, to the page)."""
    port = free_port()
    log = artifacts_dir / "logs" / f"e2e-{request.node.name}.log"
    return lambda: _server(settings, port, log)


@pytest.fixture
def freelancer(transactional_db):
    """Ana, with one notification (event id 1)."""
    ana = make_freelancer(full_name="Ana Costa")
    _notify(ana, 1)
    return ana


def test_a_page_resumes_after_a_server_restart_with_every_missed_event_once_in_order(
    page: Page, server, freelancer
):
    bell = page.locator("a.bell")
    with server() as base:
        _log_in(page, base, freelancer)
        expect(bell).to_have_accessible_name("1 unread notification")
        expect(page.locator("body")).to_have_attribute("data-last-event-id", "1")
        _record(page)
        page.wait_for_timeout(500)  # connected
        _notify(freelancer, 2)
        expect(bell).to_have_accessible_name("2 unread notifications")

    # The server is down: these are only in the log.
    for n in (3, 4, 5):
        _notify(freelancer, n)

    with server():
        expect(bell).to_have_accessible_name("5 unread notifications", timeout=20_000)
        expect(page.locator("[data-bell-announce]")).to_have_text(
            "New notification: Contract started: “Job 5”"
        )
        _notify(freelancer, 6)
        expect(bell).to_have_accessible_name("6 unread notifications")
        page.wait_for_timeout(500)
        assert page.evaluate("window.seenIds") == [2, 3, 4, 5, 6]
        expect(page.locator("[data-realtime-reload]")).to_have_count(0)


def test_a_page_that_missed_more_than_the_log_keeps_is_offered_a_reload(
    page: Page, server, freelancer, settings, artifacts_dir
):
    shots = artifacts_dir / "screenshots"
    with server() as base:
        _log_in(page, base, freelancer)
        _record(page)
        page.wait_for_timeout(500)

    _notify(freelancer, 2)
    _notify(freelancer, 3)
    UserEvent.objects.filter(user=freelancer, seq__gt=1).update(
        created_at=timezone.now() - timedelta(days=settings.USER_EVENTS_KEEP_DAYS + 1)
    )

    with server():
        banner = page.locator("[data-realtime-reload]")
        expect(banner).to_contain_text("This page missed some updates", timeout=20_000)
        # The bell asks the server for its count instead.
        expect(page.locator("a.bell")).to_have_accessible_name("3 unread notifications")
        assert page.evaluate("window.seenIds") == []
        page.screenshot(path=shots / "realtime-reload-desktop.png")
        page.set_viewport_size(PHONE)
        page.screenshot(path=shots / "realtime-reload-phone.png")
        box = banner.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        banner.get_by_role("button", name="Reload").click()
        expect(page.locator("body")).to_have_attribute("data-last-event-id", "3")
        expect(page.locator("[data-realtime-reload]")).to_have_count(0)
