"""Issue 20, acceptance scenario 1, in the browser against the ASGI server: the owner builds the
invite-only pool "NE Cabling T1" on the settings pages (W-9; contractor agreement v3; general
liability ≥ $1M per occurrence and $2M aggregate, reminders 30/7/1, suspend on expiry; background
check ≤ 365 days; 50 miles from Boston; on-time rate ≥ 90 %). The hiring manager invites a worker
from the pool's member list; the worker accepts and sees exactly two red rows (the agreement and the
insurance: the W-9 and the background check were verified for this organisation before, the worker
lives in Cambridge and has an on-time record), signs and uploads → awaiting review; the manager
approves in the review queue → active. Every transition is in the member's history page and in the
audit log (organisation-targeted AuditEntry rows: no page lists them yet).

Screenshots ``pools-s1-*`` at 1280 and 390 wide."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, expect

from marketplace.organisations.models import PoolMembership, TalentPool
from tests.e2e.pools_scenarios import (
    audited,
    both_widths,
    enterprise,
    field_worker,
    off_loop,
    person,
)
from tests.organisations.pools_support import PDF, credential

Status = PoolMembership.Status


def _add_rule(main, kind: str, fields: dict[str, str], *, checks=(), city=None, reminders=None) -> None:
    """Choose the kind (its fields load in place), fill them, add; wait for the new rule's line."""
    # The page's scripts (htmx loads the kind's fields on change) run at "load", after the content
    # shows: choosing the kind earlier loads nothing.
    main.page.wait_for_load_state("load")
    rules = main.locator(".rule__sentence")
    before = rules.count()
    main.get_by_label("Kind of requirement").select_option(kind)
    expect(main.get_by_role("button", name="Add requirement")).to_be_visible()
    for label in checks:
        main.get_by_label(label, exact=True).check()
    for label, value in fields.items():
        main.get_by_label(label).fill(value)
    if city:
        main.get_by_role("searchbox", name="City").fill(city)
        main.locator("[data-city-id]").first.click()
    if reminders is not None:
        main.get_by_label("Remind the worker, days before expiry").fill(reminders)
    main.get_by_role("button", name="Add requirement").click()
    expect(rules).to_have_count(before + 1)


def _world():
    organisation, owner, manager = enterprise()
    worker = field_worker("casey@example.com", "Casey Cabler")
    credential(worker, organisation, "tax_form", form="w9")
    credential(worker, organisation, "background_check", issued_on=timezone.localdate() - timedelta(days=90))
    return organisation, owner, manager, worker


def test_ne_cabling_built_invited_accepted_two_red_rows_uploaded_approved(
    browser: Browser, asgi_server: str, artifacts_dir: Path, tmp_path: Path
):
    base, errors = asgi_server, []
    organisation, owner, manager, worker = off_loop(_world)
    slug = organisation.slug

    # The owner builds the pool on the settings pages.
    olive = person(browser, base, artifacts_dir, errors, owner.email, f"/organisations/{slug}/pools/new/")
    main = olive.page.locator("main")
    main.get_by_label("Pool name").fill("NE Cabling T1")
    main.get_by_role("button", name="Create the pool").click()
    expect(main.get_by_role("heading", name="NE Cabling T1")).to_be_visible()
    _add_rule(main, "tax_form", {}, checks=["W-9"])
    _add_rule(
        main,
        "agreement",
        {"Title": "Contractor agreement", "Version": "3", "Text the worker signs": "I work safely."},
    )
    _add_rule(
        main,
        "insurance",
        {"Minimum per occurrence ($)": "1000000", "Minimum aggregate ($)": "2000000"},
        reminders="30, 7, 1",
    )
    _add_rule(main, "background_check", {"Maximum age in days": "365"}, reminders="")
    _add_rule(main, "travel_distance", {"Radius in miles": "50"}, city="Boston")
    _add_rule(main, "on_time_rate", {"Minimum on-time %": "90"})
    expect(main.locator(".rule__sentence")).to_have_count(6)
    expect(main).to_contain_text("General liability insurance ≥ $1,000,000 per occurrence and $2,000,000")
    expect(main).to_contain_text("Within 50 miles of Boston, US")
    pool = TalentPool.objects.get(organisation=organisation, name="NE Cabling T1")
    assert (pool.visibility, pool.join_policy, pool.on_expiry) == ("invitees", "invitation", "suspend")
    assert pool.requirements.get(kind="insurance").reminder_days == [30, 7, 1]
    # Back to the top before the page is checked: scrolled to #requirements, the sticky site header
    # covers the organisation's tabs and axe reports their target size.
    main.evaluate("() => window.scrollTo(0, 0)")
    both_widths(olive, "pools-s1-01-settings")

    # The hiring manager invites the worker from the pool's member list.
    members = f"/organisations/{slug}/pools/{pool.pk}/members/"
    maya = person(browser, base, artifacts_dir, errors, manager.email, members)
    maya.page.get_by_label("Freelancer's email address").fill(worker.email)
    maya.page.get_by_role("button", name="Invite to the pool").click()
    expect(maya.page.get_by_text(f"{worker.email} is invited to NE Cabling T1")).to_be_visible()
    membership = PoolMembership.objects.get(pool=pool, email=worker.email)

    # The worker accepts and sees exactly two red rows.
    casey = person(browser, base, artifacts_dir, errors, worker.email, f"/pools/memberships/{membership.pk}/")
    casey.page.get_by_role("button", name="Accept").click()
    expect(casey.page.locator(".pool-checklist__item")).to_have_count(6)
    red = casey.page.locator(".pool-checklist__item--fail")
    expect(red).to_have_count(2)
    expect(red.nth(0)).to_contain_text("Contractor agreement")
    expect(red.nth(1)).to_contain_text("Insurance")
    both_widths(casey, "pools-s1-02-checklist-two-red")

    agreement = casey.page.locator(f"#requirement-{pool.requirements.get(kind='agreement').pk}")
    agreement.get_by_label("Type your full name to sign").fill("Casey Cabler")
    agreement.get_by_role("button", name="Sign").click()
    expect(casey.page.locator(".pool-checklist__item--fail")).to_have_count(1)
    insurance = casey.page.locator(f"#requirement-{pool.requirements.get(kind='insurance').pk}")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    insurance.get_by_label("Cover per occurrence").fill("1000000")
    insurance.get_by_label("Aggregate cover").fill("2000000")
    insurance.get_by_label("Expiration date").fill((timezone.localdate() + timedelta(days=300)).isoformat())
    insurance.get_by_label("Document (PDF, JPEG or PNG)").set_input_files(str(certificate))
    insurance.get_by_role("button", name="Upload").click()
    expect(casey.page.get_by_text("is reviewing your documents")).to_be_visible()
    expect(casey.page.locator(".pool-checklist__item--fail")).to_have_count(0)

    # The manager approves from the review queue.
    maya.page.goto(f"{base}/organisations/{slug}/pools/review/")
    maya.page.get_by_role("link", name="Casey Cabler").first.click()
    maya.page.get_by_text("Approve", exact=True).click()
    maya.page.get_by_role("button", name="Approve the member").click()
    expect(maya.page.locator(".panel-head .badge").first).to_have_text("Active")
    history = maya.page.locator(".pm-history li")
    expect(history).to_have_count(3)
    expect(history.nth(2)).to_contain_text("Invited → Awaiting requirements")  # newest first
    expect(history.nth(1)).to_contain_text("Awaiting requirements → Awaiting review")
    expect(history.nth(0)).to_contain_text("Awaiting review → Active")
    both_widths(maya, "pools-s1-03-member-active")

    assert PoolMembership.objects.get(pk=membership.pk).status == Status.ACTIVE
    moves = [a for a in audited(organisation, membership) if a.startswith("pool.member.")]
    assert moves == ["pool.member.awaiting_requirements", "pool.member.awaiting_review", "pool.member.active"]
    assert errors == []
