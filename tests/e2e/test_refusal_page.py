"""What a member whose role forbids an action sees in a browser: the job's page without the controls
they may not use, and, if they open the edit link anyway (a bookmark, a colleague's message), the
refusal page: status 403, the reason in the role's words and a way on. Screenshotted as
``refusal-*``."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.organisations.models import Role
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import add_member, make_client, make_job, make_organisation, make_user

TITLE = "Quarterly bookkeeping for a bakery"


def test_a_viewer_sees_the_job_and_is_refused_its_edit_form(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    organisation = make_organisation(owner=make_client(full_name="Olive Owner"), name="Crumb & Co")
    viewer = add_member(
        organisation, Role.VIEWER, make_user(email="vera@example.com", full_name="Vera Viewer")
    )
    job = make_job(organisation=organisation, title=TITLE)
    errors: list[str] = []

    vera = Person(browser, base, shots, errors)
    edit_url = f"{base}/jobs/{job.pk}/edit/"
    vera.expected_4xx.add(edit_url)
    page = vera.page
    page.goto(f"{base}/jobs/{job.pk}/proposals/")
    vera.log_in(viewer.email)
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("button", name="Close the job")).to_have_count(0)

    assert page.goto(edit_url).status == 403
    expect(page.get_by_text("Your role (Viewer) does not allow you to post or edit jobs.")).to_be_visible()
    page.get_by_role("link", name="Back to your dashboard").click()
    expect(page).to_have_url(f"{base}/dashboard/")
    page.goto(edit_url)
    vera.shot("refusal-job-edit")
    phone_shot(vera, "refusal-job-edit")
    assert not errors, errors
