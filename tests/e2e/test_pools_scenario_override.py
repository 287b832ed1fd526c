"""Issue 20, acceptance scenario 2, in the browser against the ASGI server: a worker of NE Cabling T1
(with a drug test rule) meets every rule but the drug test and asks for an override on the checklist;
the hiring manager grants 30 days for this pool on the member's page, which then names the override;
the worker sees the pool's job and is sent an offer. Day 31 (the clock moved in this process, where
the daily sweep runs): the override expires, the member is suspended, the open offer withdrawn, and
both are logged (history rows and audit entries); the manager's page shows the suspension.

Screenshots ``pools-s2-*`` at 1280 and 390 wide."""

from datetime import timedelta
from pathlib import Path

import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, expect

from marketplace.core.models import AuditEntry, StatusChange
from marketplace.jobs.models import Offer
from marketplace.organisations.models import PoolMembership, PoolOverride
from marketplace.organisations.services.expiry import expiry_sweep
from marketplace.organisations.services.lifecycle import membership_reevaluate
from tests.e2e.pools_scenarios import both_widths, enterprise, off_loop, person
from tests.factories import make_freelancer, make_job, make_offer, make_proposal
from tests.organisations.expiry_support import meets_ne_cabling
from tests.organisations.pools_support import add_requirement, join, ne_cabling

Status = PoolMembership.Status


def _world():
    organisation, _owner, manager = enterprise()
    pool = ne_cabling(organisation)
    add_requirement(pool, "drug_test")
    membership = join(pool, make_freelancer(email="drew@example.com", full_name="Drew Driller"))
    meets_ne_cabling(membership, insurance_expires_on=timezone.localdate() + timedelta(days=300))
    membership_reevaluate(membership.pk)
    job = make_job(
        client=manager,
        organisation=organisation,
        visibility="pool",
        pool=pool.pk,
        title="Cable a Back Bay store",
    )
    return organisation, manager, pool, membership, job


def _offer(job, worker, manager):
    return make_offer(make_proposal(job, freelancer=worker), acting_user=manager)


def _day_31_sweep(granted_at):
    with time_machine.travel(granted_at + timedelta(days=30, hours=1), tick=False):
        return expiry_sweep()


def test_override_granted_30_days_offer_sent_day_31_suspended_and_offer_withdrawn(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base, errors = asgi_server, []
    organisation, manager, pool, membership, job = off_loop(_world)
    worker, slug = membership.freelancer, organisation.slug

    drew = person(browser, base, artifacts_dir, errors, worker.email, f"/pools/memberships/{membership.pk}/")
    red = drew.page.locator(".pool-checklist__item--fail")
    expect(red).to_have_count(1)
    expect(red).to_contain_text("Drug test")
    drew.page.get_by_label("Why should you be let in while this is not met?").fill(
        "My drug test is booked for Tuesday; the results take a week."
    )
    drew.page.get_by_role("button", name="Request an override").click()
    expect(drew.page.locator(".page-header .badge").first).to_have_text("Override requested")

    member = f"/organisations/{slug}/pools/{pool.pk}/members/{membership.pk}/"
    maya = person(browser, base, artifacts_dir, errors, manager.email, member)
    maya.page.get_by_text("Grant", exact=True).click()
    maya.page.get_by_label("Days (1 to 90)").fill("30")
    maya.page.locator(f"#grant-reason-{membership.overrides.get().pk}").fill(
        "Known crew; the test is booked."
    )
    maya.page.get_by_role("button", name="Grant the override").click()
    expect(maya.page.locator(".panel-head .badge").first).to_have_text("Active")
    override = PoolOverride.objects.get(membership=membership)
    assert override.status == PoolOverride.Status.GRANTED
    assert override.job_id is None  # this pool only
    assert override.waived == [pool.requirements.get(kind="drug_test").pk]
    named = maya.page.locator("#overrides-title + .pm-list li")
    expect(named).to_contain_text("Granted")
    expect(named).to_contain_text("for the whole pool")
    expect(named).to_contain_text(f"until {timezone.localtime(override.expires_at):%-d %b %Y}")
    expect(named).to_contain_text("Known crew; the test is booked.")
    both_widths(maya, "pools-s2-01-member-override")

    # The worker sees the pool's job and is sent an offer.
    drew.page.goto(f"{base}/jobs/{job.pk}/")
    expect(drew.page.get_by_role("heading", name="Cable a Back Bay store")).to_be_visible()
    offer = off_loop(_offer, job, worker, manager)
    assert offer.status == Offer.Status.SENT

    # Day 31: the sweep expires the override, suspends the member and withdraws the offer.
    done = off_loop(_day_31_sweep, override.decided_at)
    assert done["overrides_expired"] == 1
    assert PoolOverride.objects.get(pk=override.pk).status == PoolOverride.Status.EXPIRED
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.SUSPENDED
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert StatusChange.objects.filter(target_type="jobs.offer", target_id=offer.pk, to_status="withdrawn")
    assert AuditEntry.objects.filter(action="offer.withdrawn", data__offer=offer.pk).exists()
    assert AuditEntry.objects.filter(action="pool.member.suspended", data__membership=membership.pk).exists()

    maya.page.reload()
    expect(maya.page.locator(".panel-head .badge").first).to_have_text("Suspended")
    expect(maya.page.locator(".pm-history li").first).to_contain_text("The override expired")
    both_widths(maya, "pools-s2-02-member-suspended")
    assert errors == []
