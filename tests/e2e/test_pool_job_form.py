"""A hiring manager posts a job for one of the organisation's talent pools: the job form's pool
choice, at desktop and phone widths.

Screenshots: ``pool-job-form`` (1280 and 390 wide) and ``pool-job-posted``."""

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.jobs.models import Job
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import add_member, make_organisation
from tests.organisations.pools_support import make_pool


def test_a_manager_posts_a_job_for_a_vetted_pool(browser: Browser, asgi_server: str, artifacts_dir: Path):
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    organisation = make_organisation(name="Acme Cabling")
    manager = add_member(organisation, "hiring_manager")
    pool = make_pool(organisation, name="NE Cabling T1")

    mia = Person(browser, asgi_server, shots, errors)
    mia.page.goto(f"{asgi_server}/accounts/login/?next=/jobs/new/")
    mia.log_in(manager.email)
    page = mia.page
    page.get_by_label("Title", exact=True).fill("Pull Cat6 in a Boston office")
    page.get_by_label("Description", exact=True).fill(
        "Forty drops on two floors, terminated and tested, with a report."
    )
    page.get_by_label("Fixed price", exact=True).check()
    page.get_by_label("Currency", exact=True).select_option("USD")
    page.get_by_label("Budget (fixed price)").fill("4200")
    page.get_by_label("Intermediate", exact=True).check()
    page.get_by_role("radio", name=re.compile("^Talent pool")).check()
    page.get_by_label("Talent pool", exact=True).select_option(label="NE Cabling T1")
    mia.shot("pool-job-form")
    phone_shot(mia, "pool-job-form")
    page.get_by_role("button", name="Post job", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("is posted")
    mia.shot("pool-job-posted")
    job = Job.objects.get(title="Pull Cat6 in a Boston office")
    assert job.visibility == Job.Visibility.POOL
    assert job.pool_id == pool.pk
    assert errors == []
