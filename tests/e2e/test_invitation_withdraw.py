"""Withdrawing an invitation in a browser: the client's job page has a "Withdraw" button beside each
invitation not yet answered; after it, the freelancer's link to the invite-only job answers 404 and
the one still invited keeps the job. Screenshotted as ``invitation-withdraw-*``."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.jobs.services import job_invite
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import make_client, make_freelancer, make_job

TITLE = "Audit of a small shop's accounts"


def test_the_client_withdraws_an_invitation_from_the_job_page(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    client = make_client(email="harriet@example.com", full_name="Harriet Cole")
    job = make_job(client=client, visibility="invite_only", title=TITLE)
    ana = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    ben = make_freelancer(email="ben@example.com", full_name="Ben Okafor")
    for freelancer in (ana, ben):
        job_invite(acting_user=client, job=job, freelancer_handle=freelancer.freelancer_profile.handle)
    errors: list[str] = []

    harriet = Person(browser, base, shots, errors)
    page = harriet.page
    page.goto(f"{base}/jobs/{job.pk}/proposals/")
    harriet.log_in(client.email)
    sent = page.get_by_role("region", name="Invitations sent")
    expect(sent.get_by_role("button", name="Withdraw")).to_have_count(2)
    harriet.shot("invitation-withdraw-before")
    sent.get_by_role("button", name="Withdraw the invitation to Ben Okafor").click()

    expect(page.locator("#messages")).to_contain_text(
        "The invitation is withdrawn; Ben Okafor is told and no longer sees this job."
    )
    ben_row = sent.get_by_role("listitem").filter(has_text="Ben Okafor")
    expect(ben_row.locator(".badge")).to_have_text("Withdrawn")
    expect(ben_row.get_by_role("button")).to_have_count(0)
    expect(sent.get_by_role("button", name="Withdraw the invitation to Ana Costa")).to_be_visible()
    harriet.shot("invitation-withdraw-after")
    phone_shot(harriet, "invitation-withdraw-after")

    job_url = f"{base}/jobs/{job.pk}/"
    withdrawn = Person(browser, base, shots, errors)
    withdrawn.expected_4xx.add(job_url)
    withdrawn.page.goto(f"{base}/job-invitations/")
    withdrawn.log_in(ben.email)
    expect(withdrawn.page.get_by_text("No invitations to answer")).to_be_visible()
    assert withdrawn.page.goto(job_url).status == 404
    still = Person(browser, base, shots, errors)
    still.page.goto(f"{base}/job-invitations/")
    still.log_in(ana.email)
    still.page.goto(job_url)
    expect(still.page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert errors == []
