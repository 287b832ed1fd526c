"""Late money in a browser: the freelancer's earnings with a stuck payout and a payout pause, the
client's milestone page saying the payment to the freelancer is delayed, and staff's /ops/ list of
money needing them. Desktop and 390 px, without sideways scrolling. Screenshots: ``recovery-*``."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, expect

from escrow.models import ConnectedAccount, Hold, ProcessorDiscrepancy, Transfer
from escrow.services.outgoing_retry import outgoing_refused
from marketplace.contracts import services as contract_services
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.escrow.builders import fund_milestone, payouts_ready
from tests.factories import make_client, make_contract, make_freelancer, make_user

REFUSAL = "Insufficient funds from source_transaction ch_3Qx: the amount is greater than what is left"


def _story():
    """Ana's “Design” payout was refused five times (stuck); she then changed her bank account, so
    “Build” waits for the pause. Built in a thread of its own (the money's side effects call async
    code the browser's loop would refuse)."""
    cleo = make_client(email="cleo@example.com", full_name="Cleo Client")
    ana = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    contract = make_contract(
        client=cleo, freelancer=ana, title="Booking page", milestones=[("Design", 40_000), ("Build", 100_000)]
    )
    payouts_ready(ana)
    design, build = contract.milestones.all()
    for milestone in (design, build):
        fund_milestone(milestone)
        contract_services.milestone_submit(acting_user=ana, milestone=milestone, message="Done")
        contract_services.milestone_approve(acting_user=cleo, milestone=milestone)
    stuck = Transfer.objects.get(settlement__hold=Hold.objects.get(milestone=design))
    for _ in range(5):
        outgoing_refused(Transfer, stuck.pk, REFUSAL, waiting_status=Transfer.Status.BLOCKED)
    until = timezone.now() + timedelta(hours=72)
    ConnectedAccount.objects.filter(user=ana).update(payouts_paused_until=until)
    Transfer.objects.filter(settlement__hold__milestone=build).update(
        status=Transfer.Status.BLOCKED, next_attempt_at=until
    )
    ProcessorDiscrepancy.objects.create(
        kind=ProcessorDiscrepancy.Kind.UNMATCHED_PAYMENT,
        processor_id="pi_3QxUnknownPayment",
        amount_minor=4_200,
        currency="USD",
        detail="A payment of 4200 USD that no charge of ours asked for (hold_id=987654)",
    )
    make_user(staff=True, is_superuser=True, email="ops@example.com")
    return cleo, ana, contract, design


def test_late_money_reads_plainly_on_each_side_and_in_full_for_staff(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(1) as pool:
        cleo, ana, contract, design = pool.submit(_story).result()
    errors: list[str] = []

    freelancer = Person(browser, base, shots, errors)
    freelancer.page.goto(f"{base}/earnings/")
    freelancer.log_in(ana.email)
    main = freelancer.page.locator("main")
    expect(main.locator("[data-payouts-paused]")).to_contain_text("Payouts paused until")
    expect(main).to_contain_text("the card payment it comes from is not available any more")
    expect(main).not_to_contain_text("source_transaction")
    freelancer.shot("recovery-earnings-desktop")
    phone_shot(freelancer, "recovery-earnings")

    client = Person(browser, base, shots, errors)
    client.page.goto(f"{base}/contracts/{contract.pk}/milestones/{design.pk}/")
    client.log_in(cleo.email)
    expect(client.page.locator("[data-payout-note]")).to_contain_text("Payment to the freelancer delayed")
    client.shot("recovery-milestone-client-desktop")
    phone_shot(client, "recovery-milestone-client")

    staff = Person(browser, base, shots, errors)
    staff.page.goto(f"{base}/accounts/login/?next=/ops/")
    staff.log_in("ops@example.com")
    attention = staff.page.locator("[data-money-attention]")
    expect(attention).to_contain_text("Payout stuck")
    expect(attention).to_contain_text("pi_3QxUnknownPayment")
    staff.shot("recovery-ops-desktop")
    phone_shot(staff, "recovery-ops")
    assert errors == []
