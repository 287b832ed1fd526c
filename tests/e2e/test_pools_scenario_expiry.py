"""Issue 20, acceptance scenario 3, in the browser against the ASGI server: an active NE Cabling T1
member's insurance certificate expires today. The daily sweep, run in this process for each of the
last 40 days (the clock moved back there, so the server's today is the expiry date), reminds the
worker 30, 7 and 1 days before (reminder rows, notifications, emails) and suspends the member on the
day. The worker uploads a new certificate showing $950k per occurrence on the checklist: the rule
fails (red) and the member stays suspended; the hiring manager approves that one rule with a reason
on the member's page: the certificate is verified and the membership reinstated automatically.

Screenshots ``pools-s3-*`` at 1280 and 390 wide."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect

from marketplace.organisations.models import Credential, ExpiryReminder, PoolMembership, RuleApproval
from marketplace.organisations.services.expiry import expiry_sweep
from marketplace.organisations.services.lifecycle import membership_reevaluate
from messaging.models import Notification
from tests.e2e.pools_scenarios import both_widths, enterprise, off_loop, person
from tests.factories import make_freelancer
from tests.organisations.expiry_support import meets_ne_cabling
from tests.organisations.pools_support import PDF, join, ne_cabling

Status = PoolMembership.Status


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


def _world_and_sweeps(expires_on: date):
    """The member, then a sweep each morning from 40 days before ``expires_on`` to that day;
    returns the days on which a reminder went out and the emails sent."""
    organisation, _owner, manager = enterprise()
    pool = ne_cabling(organisation)
    membership = join(
        pool, make_freelancer(email="ines@example.com", full_name="Ines Installer"), Status.ACTIVE
    )
    start = expires_on - timedelta(days=40)
    with time_machine.travel(_at(start), tick=False):
        meets_ne_cabling(membership, insurance_expires_on=expires_on, checked_on=start)
        membership_reevaluate(membership.pk)
    mail.outbox.clear()
    reminded = []
    for n in range(41):
        day = start + timedelta(days=n)
        with time_machine.travel(_at(day), tick=False):
            if expiry_sweep()["reminders_sent"]:
                reminded.append((expires_on - day).days)
    return manager, pool, membership, reminded, [m.subject for m in mail.outbox]


def test_insurance_reminded_30_7_1_suspended_then_950k_approved_and_reinstated(
    browser: Browser, asgi_server: str, artifacts_dir: Path, tmp_path: Path
):
    base, errors = asgi_server, []
    today = timezone.localdate()
    manager, pool, membership, reminded, emails = off_loop(_world_and_sweeps, today)
    worker = membership.freelancer

    assert reminded == [30, 7, 1]
    assert sorted(
        ExpiryReminder.objects.filter(membership=membership).values_list("days_before", flat=True)
    ) == [
        1,
        7,
        30,
    ]
    reminders = Notification.objects.filter(recipient=worker, kind=Notification.Kind.POOL_EXPIRY_REMINDER)
    assert reminders.count() == 3
    assert sum("expires in" in subject for subject in emails) == 3
    membership.refresh_from_db()
    assert (membership.status, membership.suspended_by_rules) == (Status.SUSPENDED, True)

    # The worker uploads a certificate with $950k per occurrence: the rule fails, still suspended.
    ines = person(browser, base, artifacts_dir, errors, worker.email, f"/pools/memberships/{membership.pk}/")
    insurance = ines.page.locator(f"#requirement-{pool.requirements.get(kind='insurance').pk}")
    expect(insurance).to_contain_text("Expired")
    certificate = tmp_path / "certificate-950k.pdf"
    certificate.write_bytes(PDF)
    insurance.get_by_label("Cover per occurrence").fill("950000")
    insurance.get_by_label("Aggregate cover").fill("2000000")
    insurance.get_by_label("Expiration date").fill((today + timedelta(days=365)).isoformat())
    insurance.get_by_label("Document (PDF, JPEG or PNG)").set_input_files(str(certificate))
    insurance.get_by_role("button", name="Upload").click()
    expect(ines.page.get_by_text("Uploaded: the organisation will review it.")).to_be_visible()
    expect(ines.page.locator(".pool-checklist__item--fail")).to_contain_text("$950,000")
    expect(ines.page.locator(".page-header .badge").first).to_have_text("Suspended")
    both_widths(ines, "pools-s3-01-checklist-950k")

    # The manager approves that one rule with a reason: verified, reinstated.
    member = f"/organisations/{pool.organisation.slug}/pools/{pool.pk}/members/{membership.pk}/"
    maya = person(browser, base, artifacts_dir, errors, manager.email, member)
    rule = maya.page.locator(".pm-rule--fail").filter(has_text="Insurance certificate")
    rule.get_by_text("Approve this rule").click()
    rule.get_by_label("Why it is acceptable").fill("Umbrella policy covers the $50k gap; copy on file.")
    rule.get_by_role("button", name="Approve the rule").click()
    expect(maya.page.get_by_text("The rule is approved for this member.")).to_be_visible()
    expect(maya.page.locator(".panel-head .badge").first).to_have_text("Active")
    expect(maya.page.locator(".pm-history li").first).to_contain_text("Suspended → Active")
    both_widths(maya, "pools-s3-02-member-reinstated")

    newest = Credential.objects.filter(worker=worker, kind="insurance").order_by("-pk").first()
    assert (newest.per_occurrence_minor, newest.status) == (95_000_000, Credential.Status.VERIFIED)
    approval = RuleApproval.objects.get(membership=membership)
    assert approval.credential_id == newest.pk
    assert approval.reason.startswith("Umbrella policy")
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.ACTIVE
    assert errors == []
