from django.utils import timezone
from playwright.sync_api import Page, expect

from escrow.models import ReconciliationFinding, ReconciliationRun
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, make_user


def _reconciliation(staff) -> None:
    """A finished run with a finding to explain and one explained."""
    now = timezone.now()
    run = ReconciliationRun.objects.create(
        status="done",
        window_start=now,
        window_end=now,
        finished_at=now,
        compared={"payment_intent": 12, "refund": 2, "transfer": 7},
    )
    kind = ReconciliationFinding.Kind
    ReconciliationFinding.objects.create(
        run=run,
        kind=kind.TRANSFER_REVERSED,
        currency="USD",
        processor_type="transfer",
        processor_id="tr_1QbDemoReversal0042",
        processor_amount_minor=500,
        ledger_ref="ledger transaction 88",
        ledger_amount_minor=54_000,
        detail="Stripe reversed $5.00 of transfer tr_1QbDemoReversal0042 ($540.00); the ledger counts "
        "all of it paid to the freelancer.",
        action="Money came back from the freelancer's account. Find out why, then pay again or record it.",
        fingerprint="e2e-1",
    )
    ReconciliationFinding.objects.create(
        run=run,
        kind=kind.ORPHAN_PROCESSOR_OBJECT,
        currency="USD",
        processor_type="payment_intent",
        processor_id="pi_3QbDemoByHand0007",
        processor_amount_minor=5_000,
        detail="Stripe has a payment pi_3QbDemoByHand0007 of $50.00 that no hold or payment here knows.",
        action="Nothing here knows this Stripe object. Look it up in the Dashboard.",
        fingerprint="e2e-2",
        explained_at=now,
        explained_by=staff,
        explanation="A test payment made in the Dashboard.",
    )


def test_staff_log_in_and_see_the_operations_page_without_policy_violations(
    page: Page, asgi_server, artifacts_dir
):
    staff = make_user(staff=True, is_superuser=True, email="ops@example.com")
    _reconciliation(staff)
    shots = artifacts_dir / "screenshots"
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(asgi_server + "/ops/")
    expect(page).to_have_url(f"{asgi_server}/admin/login/?next=/ops/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{asgi_server}/ops/")
    expect(page.get_by_role("heading", name="Operations", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("postgresql")
    expect(page.locator("main")).to_contain_text("No heartbeat yet")
    expect(page.get_by_role("heading", name="Reconciliation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 to explain")
    page.get_by_text("Mark explained").first.click()
    expect(page.get_by_label("What explains it (kept with the finding)")).to_be_visible()
    expect(page.get_by_role("link", name="Operations")).to_have_attribute("aria-current", "page")
    page.screenshot(path=shots / "ops-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "horizontal scroll on a phone"
    )
    page.screenshot(path=shots / "ops-phone.png", full_page=True)

    page.goto(asgi_server + "/admin/")
    expect(page.get_by_role("link", name="Heartbeats")).to_be_visible()

    assert errors == []
