"""The demo's vetted pools in the browser (``marketplace.demo.pools`` seeded on Northwind): the hiring
manager's member list of NE Cabling T1 with members in every state, and a field technician's checklist
with red rows. Screenshots ``pools-demo-*`` at 1280 and 390 wide."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.demo import accounts as demo
from marketplace.demo import pools as pools_demo
from marketplace.organisations.models import PoolMembership, Role, TalentPool
from tests.e2e.pools_scenarios import both_widths, off_loop
from tests.e2e.test_hiring_story import Person


def _seed():
    for step in demo.seed_steps():
        if step.label in ("staff", "northwind members", demo.ORGANISATIONS[0].name):
            step.run()
    assert pools_demo.pools_seed()


def _demo_person(browser: Browser, base: str, artifacts_dir: Path, errors: list, email: str, path: str):
    """Logged in with the demo's password."""
    someone = Person(browser, base, artifacts_dir / "screenshots", errors)
    someone.page.goto(f"{base}{path}")
    someone.page.get_by_label("Email", exact=True).fill(email)
    someone.page.get_by_label("Password", exact=True).fill(demo.PASSWORD)
    someone.page.get_by_role("button", name="Log in").click()
    someone.page.wait_for_url(f"{base}{path}")
    return someone


def test_the_demo_pools_member_list_and_a_checklist(browser: Browser, asgi_server: str, artifacts_dir: Path):
    base, errors = asgi_server, []
    off_loop(_seed)
    pool = TalentPool.objects.select_related("organisation").get(name=pools_demo.NE_CABLING)
    manager = demo.member_email(demo.ORGANISATIONS[0], Role.HIRING_MANAGER)
    members = f"/organisations/{pool.organisation.slug}/pools/{pool.pk}/members/"

    maya = _demo_person(browser, base, artifacts_dir, errors, manager, members)
    table = maya.page.locator(".pm-table")
    for status in ("Invited", "Awaiting requirements", "Awaiting review", "Active", "Suspended"):
        expect(table).to_contain_text(status)
    expect(table.get_by_role("row", name="Aisha Khan")).to_contain_text("Until")  # the override
    both_widths(maya, "pools-demo-01-member-list")

    marcus = PoolMembership.objects.get(pool=pool, freelancer__email=pools_demo.tech_email(3))
    tech = _demo_person(
        browser, base, artifacts_dir, errors, pools_demo.tech_email(3), f"/pools/memberships/{marcus.pk}/"
    )
    expect(tech.page.locator(".pool-checklist__item--fail")).to_have_count(3)
    expect(tech.page.get_by_text("The report is cut off after page one")).to_be_visible()
    both_widths(tech, "pools-demo-02-checklist")
    assert errors == []
