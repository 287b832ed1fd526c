"""An organisation owner invites a member by email and a freelancer to the talent pool; both accept.

The server writes its email to files (a settings module made for this test, on top of the test
profile), so the member follows the link from the real email, as a person would.
"""

import re
import textwrap
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, make_client, make_freelancer, make_organisation, make_user
from tests.support.processes import (
    VENV_BIN,
    env_on_test_database,
    free_port,
    log_name,
    running,
    wait_for_http,
)


@pytest.fixture
def outbox(tmp_path) -> Path:
    path = tmp_path / "outbox"
    path.mkdir()
    return path


@pytest.fixture
def mail_server(transactional_db, settings, artifacts_dir, tmp_path, outbox) -> Iterator[str]:
    """Like ``asgi_server``, but email goes to files in ``outbox``."""
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "e2e_file_outbox_settings.py").write_text(
        textwrap.dedent(
            f"""
            from marketplace.config.settings.test import *  # noqa: F403

            EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
            EMAIL_FILE_PATH = {str(outbox)!r}
            """
        )
    )
    port = free_port()
    env = env_on_test_database(settings)
    env["DJANGO_SETTINGS_MODULE"] = "e2e_file_outbox_settings"
    env["PYTHONPATH"] = str(settings_dir)
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    log = artifacts_dir / "logs" / log_name("e2e-organisation-invites")
    command = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
    with running(command, env=env, log=log) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", proc=proc, log=log)
        yield base


def read_outbox(outbox: Path) -> list:
    messages = []
    for file in sorted(outbox.glob("*.log")):
        # The file backend writes each message followed by a line of dashes.
        for chunk in file.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip(), policy=policy.default))
    return messages


def email_to(outbox: Path, address: str):
    found = [m for m in read_outbox(outbox) if m["To"] == address]
    assert found, f"no email to {address} in {[m['To'] for m in read_outbox(outbox)]}"
    return found[-1]


class Session:
    """One person's browser context, collecting console errors (CSP violations show up there)."""

    def __init__(self, browser: Browser, base: str, shots: Path, errors: list[str]) -> None:
        self.context: BrowserContext = browser.new_context(viewport=DESKTOP)
        self.page: Page = self.context.new_page()
        self.base = base
        self.shots = shots
        # Pages answered with a 4xx on purpose (a refused form) log "Failed to load resource";
        # only those listed here are expected, every other console error fails the test.
        self.expected_4xx: set[str] = set()
        self.page.on("console", lambda m: self._console(m, errors))

    def _console(self, message, errors: list[str]) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and url in self.expected_4xx:
            return
        errors.append(f"{message.text} at {url or self.page.url}")

    def log_in(self, email: str) -> None:
        self.page.get_by_label("Email", exact=True).fill(email)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()

    def tab(self, name: str) -> None:
        self.page.locator("nav.tabs").get_by_role("link", name=name, exact=True).click()

    def shot(self, name: str) -> None:
        # From the top, so that the sticky header is not drawn mid-page in a full-page shot.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=self.shots / f"{name}.png", full_page=True)

    def assert_no_horizontal_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"horizontal scroll on {self.page.url}: {width}px"


def test_owner_invites_a_member_and_a_freelancer_and_both_accept(
    browser: Browser, mail_server: str, outbox: Path, artifacts_dir: Path
):
    base = mail_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    owner = make_client(email="olive@example.com", full_name="Olive Owner")
    organisation = make_organisation(owner=owner, name="Acme Robotics")
    make_user(email="mia@example.com", full_name="Mia Member")
    make_freelancer(email="fran@example.com", full_name="Fran Freelancer")
    org_path = f"/organisations/{organisation.slug}/"
    errors: list[str] = []

    # The owner logs in and invites a member by email.
    olive = Session(browser, base, shots, errors)
    olive.page.goto(f"{base}{org_path}")
    expect(olive.page).to_have_url(re.compile(r"/accounts/login/\?next="))
    olive.log_in(owner.email)
    expect(olive.page).to_have_url(f"{base}{org_path}")
    expect(olive.page.get_by_role("heading", name="Acme Robotics", level=1)).to_be_visible()
    olive.shot("org-members-owner")

    olive.tab("Invitations")
    expect(olive.page.get_by_text("No pending invitations")).to_be_visible()
    olive.page.get_by_label("Email address").fill("mia@example.com")
    olive.page.get_by_label("Role", exact=True).select_option(label="Hiring manager")
    olive.page.get_by_role("button", name="Send invitation").click()
    expect(olive.page.get_by_text("Invitation sent to mia@example.com.")).to_be_visible()
    shown_link = olive.page.get_by_role("textbox", name="Invitation link").input_value()
    expect(olive.page.locator("table")).to_contain_text("mia@example.com")
    olive.shot("org-invitations-created")

    email = email_to(outbox, "mia@example.com")
    assert email["Subject"].endswith("You are invited to join Acme Robotics")
    emailed_link = re.search(r"http://\S+/invitations/\S+/", email.get_content()).group(0)
    assert emailed_link == shown_link

    # ...and an existing freelancer to the talent pool.
    olive.tab("Talent pool")
    expect(olive.page.get_by_text("No one in the talent pool yet")).to_be_visible()
    olive.page.get_by_label("Freelancer's email address").fill("fran@example.com")
    olive.page.get_by_label("Message").fill("We loved working with you on the warehouse robots.")
    olive.page.get_by_role("button", name="Invite to the pool").click()
    expect(olive.page.get_by_text("is invited to the talent pool")).to_be_visible()
    # Until they accept, the pool shows only the address typed (nothing about who holds it).
    row = olive.page.get_by_role("row", name=re.compile("fran@example.com"))
    expect(row).to_contain_text("Invited")
    expect(row).not_to_contain_text("Fran Freelancer")
    olive.shot("org-pool-invited")
    assert "/pools/" in email_to(outbox, "fran@example.com").get_content()

    # The member opens the emailed link in their own browser, logs in and accepts.
    mia = Session(browser, base, shots, errors)
    mia.page.goto(emailed_link)
    expect(mia.page.get_by_role("heading", name="Join Acme Robotics")).to_be_visible()
    expect(mia.page.locator("main")).to_contain_text("Hiring manager")
    mia.shot("invitation-anonymous")
    mia.page.locator("main").get_by_role("link", name="Log in", exact=True).click()
    mia.log_in("mia@example.com")
    expect(mia.page).to_have_url(emailed_link)
    mia.shot("invitation-logged-in")
    mia.page.get_by_role("button", name="Accept and join").click()
    expect(mia.page).to_have_url(f"{base}{org_path}")
    expect(mia.page.get_by_text("Welcome to Acme Robotics")).to_be_visible()
    expect(mia.page.locator(".org-meta")).to_contain_text("Your role: Hiring manager")
    mia.shot("org-members-new-member")

    # The freelancer logs in, opens the talent pools page and accepts.
    fran = Session(browser, base, shots, errors)
    fran.page.goto(f"{base}/pools/")
    fran.log_in("fran@example.com")
    expect(fran.page).to_have_url(f"{base}/pools/")
    expect(fran.page.locator("main")).to_contain_text("We loved working with you")
    fran.shot("pools-invited")
    fran.page.get_by_role("button", name="Accept the invitation from Acme Robotics").click()
    expect(fran.page.get_by_text("You joined the talent pool of Acme Robotics.")).to_be_visible()
    expect(fran.page.get_by_role("row", name=re.compile("Acme Robotics"))).to_contain_text("Active")
    fran.shot("pools-active")
    fran.page.set_viewport_size(PHONE)
    fran.page.reload()
    fran.assert_no_horizontal_scroll()
    fran.shot("pools-phone")

    # The owner's pages show both.
    olive.page.goto(f"{base}{org_path}")
    member_row = olive.page.get_by_role("row", name=re.compile("Mia Member"))
    expect(member_row.get_by_role("combobox")).to_have_value("hiring_manager")
    olive.shot("org-members-both")
    olive.tab("Talent pool")
    fran_row = olive.page.get_by_role("row", name=re.compile("Fran Freelancer"))
    expect(fran_row).to_contain_text("Active")
    olive.shot("org-pool-active")
    # An address nobody holds is answered the same way: the page does not tell who has an account.
    olive.page.get_by_label("Freelancer's email address").fill("ghost@example.com")
    olive.page.get_by_role("button", name="Invite to the pool").click()
    expect(olive.page.get_by_text("is invited to the talent pool")).to_be_visible()
    expect(olive.page.get_by_role("row", name=re.compile("ghost@example.com"))).to_contain_text("Invited")
    olive.shot("org-pool-invited-unknown-address")
    olive.tab("Talent pool")
    fran_row.get_by_text("End", exact=True).click()
    expect(fran_row.get_by_role("button", name="End membership")).to_be_visible()
    olive.shot("org-pool-end-open")

    olive.page.set_viewport_size(PHONE)
    olive.page.goto(f"{base}{org_path}")
    olive.assert_no_horizontal_scroll()
    olive.shot("org-members-phone")
    olive.tab("Talent pool")
    olive.page.get_by_role("row", name=re.compile("Fran Freelancer")).get_by_text("End", exact=True).click()
    olive.assert_no_horizontal_scroll()
    olive.shot("org-pool-phone")
    olive.tab("Invitations")
    olive.assert_no_horizontal_scroll()
    olive.page.goto(f"{base}/organisations/")
    olive.assert_no_horizontal_scroll()
    olive.shot("organisations-phone")

    for session in (olive, mia, fran):
        session.context.close()
    assert errors == []


def test_staff_find_a_user_grant_a_badge_and_suspend_them(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    make_user(staff=True, email="support@example.com", full_name="Sam Support")
    make_freelancer(email="fran@example.com", full_name="Fran Freelancer")
    for i in range(3):
        make_client(email=f"client{i}@example.com", full_name=f"Client Number {i}")
    errors: list[str] = []

    sam = Session(browser, base, shots, errors)
    sam.page.goto(f"{base}/staff/users/")
    sam.log_in("support@example.com")
    expect(sam.page).to_have_url(f"{base}/staff/users/")
    sam.shot("staff-users")
    sam.page.get_by_label("Search by email or name").fill("fran")
    sam.page.get_by_role("button", name="Search").click()
    expect(sam.page.locator("main")).to_contain_text("1 user match")
    sam.page.get_by_role("link", name="Fran Freelancer").click()
    expect(sam.page.get_by_role("heading", name="Fran Freelancer", level=1)).to_be_visible()

    sam.page.get_by_label("Badge", exact=True).select_option(label="Identity verified")
    sam.page.get_by_role("button", name="Grant badge").click()
    expect(sam.page.get_by_text("Badge granted.")).to_be_visible()
    sam.expected_4xx.add(sam.page.url + "suspend/")
    sam.page.get_by_role("button", name="Suspend user").click()
    expect(sam.page.get_by_text("This field is required.")).to_be_visible()
    sam.page.get_by_label("Reason", exact=True).fill("Reported for off-platform payment requests.")
    sam.page.get_by_role("button", name="Suspend user").click()
    expect(sam.page.get_by_text("The user is suspended.")).to_be_visible()
    audit = sam.page.get_by_role("table", name="Staff actions on this account")
    expect(audit).to_contain_text("user.suspend")
    expect(audit).to_contain_text("badge.grant")
    sam.shot("staff-user")
    sam.page.set_viewport_size(PHONE)
    sam.page.reload()
    sam.assert_no_horizontal_scroll()
    sam.shot("staff-user-phone")
    sam.page.goto(f"{base}/staff/users/")
    sam.assert_no_horizontal_scroll()
    sam.shot("staff-users-phone")

    fran = Session(browser, base, shots, errors)
    fran.expected_4xx.add(f"{base}/account/suspended/")  # the suspension notice answers 403
    fran.page.goto(f"{base}/pools/")
    fran.log_in("fran@example.com")
    expect(fran.page).to_have_url(f"{base}/account/suspended/")
    expect(fran.page.locator("main")).to_contain_text("off-platform payment requests")

    for session in (sam, fran):
        session.context.close()
    assert errors == []
