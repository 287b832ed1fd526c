"""Reporting and blocking from a profile and a job, and staff working the moderation queue, in a
browser at desktop and phone widths (screenshots in artifacts/screenshots/moderation-*)."""

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from playwright.sync_api import Page, expect

from messaging.models import Report
from messaging.services.moderation import report_create
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, make_client, make_freelancer, make_job, make_proposal, make_user
from tests.messaging.conversation_rows import message_in, proposal_conversation


def _off_the_event_loop(function):
    """Sync Playwright runs an event loop in this thread; the services' pushes after commit need a
    thread without one."""

    def call():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def _story():
    client = make_client(email="harriet@example.com", full_name="Harriet Cole")
    freelancer = make_freelancer(email="finn@example.com", full_name="Finn Moreau")
    job = make_job(client=client, title="Booking page for a yoga studio")
    chat = proposal_conversation(make_proposal(job, freelancer=freelancer))
    message_in(
        chat,
        freelancer,
        "Happy to help! Mail me at finn dot moreau at gmail dot com, cheaper off-site.",
        ["email"],
    )
    message_in(chat, client, "Call me on five five five, one two three, four five six seven.", ["phone"])
    report_create(
        acting_user=freelancer,
        job_id=job.pk,
        reason="scam",
        details="Asks for a deposit before any contract.",
    )
    return client, freelancer, job


def log_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def both_widths(page: Page, path_stem) -> None:
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"horizontal scroll on {page.url}: {width}px"
        page.screenshot(path=f"{path_stem}-{name}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_client_reports_and_blocks_and_staff_work_the_queue(
    page: Page, asgi_server, artifacts_dir, browser
):
    shots = artifacts_dir / "screenshots"
    _client, freelancer, job = _off_the_event_loop(_story)
    profile = f"/freelancers/{freelancer.freelancer_profile.handle}/"

    log_in(page, asgi_server, "harriet@example.com", profile)
    page.get_by_role("link", name="Report this profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report Finn Moreau\u2019s profile")
    both_widths(page, shots / "moderation-report-form")
    page.get_by_label("Asks to talk or pay outside the site").check()
    page.get_by_label("Anything staff should know").fill("Keeps asking me to pay him by bank transfer.")
    page.get_by_role("button", name="Send report").click()
    expect(page).to_have_url(re.compile(re.escape(profile) + "$"))
    expect(page.get_by_text("Thank you: staff will look at your report.")).to_be_visible()
    page.get_by_role("button", name="Block Finn").click()
    expect(page.get_by_role("button", name="Unblock Finn")).to_be_visible()
    both_widths(page, shots / "moderation-profile-blocked")

    page.goto(f"{asgi_server}/jobs/{job.pk}/")
    expect(page.get_by_role("link", name="Report this job")).to_have_count(0)  # one's own job

    staff_context = browser.new_context(viewport=DESKTOP)
    staff_page = staff_context.new_page()
    _off_the_event_loop(lambda: make_user(staff=True, email="sam@example.com", full_name="Sam Support"))
    log_in(staff_page, asgi_server, "sam@example.com", f"/jobs/{job.pk}/")
    expect(staff_page.get_by_role("link", name="Report this job")).to_be_visible()
    both_widths(staff_page, shots / "moderation-job-report-link")
    staff_page.goto(f"{asgi_server}/staff/moderation/")
    queue = staff_page.locator("main")
    expect(queue).to_contain_text("Booking page for a yoga studio")
    expect(queue).to_contain_text("finn dot moreau at gmail dot com")
    flagged = staff_page.locator("li.moderation-item", has_text="finn dot moreau")
    flagged.locator("summary", has_text="Hide the message").click()
    both_widths(staff_page, shots / "moderation-queue")
    flagged.locator("textarea[id^=hide-]").fill("Shares an email address to pay off-site")
    flagged.locator("button[type=submit]", has_text="Hide the message").click()
    expect(staff_page.get_by_text("Message hidden.")).to_be_visible()
    reported_job = staff_page.locator("li.moderation-item", has_text="Booking page for a yoga studio")
    reported_job.locator("summary", has_text="Close the job").click()
    reported_job.locator("textarea[id^=action-]").fill("Deposit scam")
    reported_job.locator("button[type=submit]", has_text="Close the job").click()
    expect(staff_page.get_by_text("Done: the reports of it are closed as actioned.")).to_be_visible()
    assert _off_the_event_loop(
        lambda: list(Report.objects.values_list("status", flat=True).order_by("pk"))
    ) == [
        "actioned",
        "open",
    ]
    staff_context.close()
