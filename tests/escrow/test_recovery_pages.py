"""Late money in plain words on each side's pages, and Stripe's own reasons for staff on /ops/: a payout
stuck after its last attempt, a payout paused after a bank change, a refund stuck, a discrepancy."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from escrow.models import ConnectedAccount, Hold, ProcessorDiscrepancy, Refund, Transfer
from escrow.services.holds import hold_refund
from escrow.services.outgoing_retry import outgoing_refused
from marketplace.contracts import services as contract_services
from tests.escrow.builders import fund_milestone, payouts_ready
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db
REFUSAL = "Insufficient funds from source_transaction ch_1: the transfer amount is greater than what is left"


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _approved():
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    payouts_ready(contract.freelancer)
    fund_milestone(milestone)
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done")
    contract_services.milestone_approve(acting_user=contract.client, milestone=milestone)
    return contract, milestone, Transfer.objects.get(settlement__hold__milestone=milestone)


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_stuck_payout_is_explained_to_both_sides_and_shown_to_staff():
    contract, milestone, transfer = _approved()
    for _ in range(5):
        outgoing_refused(Transfer, transfer.pk, REFUSAL, waiting_status=Transfer.Status.BLOCKED)
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.STUCK
    page = reverse("frontend:milestone_detail", args=[contract.pk, milestone.pk])

    earnings = _text(_browser(contract.freelancer).get(reverse("frontend:earnings")))
    assert "Delayed" in earnings
    assert "the card payment it comes from is not available any more" in earnings
    assert "Set up payouts to receive this" not in earnings
    freelancer_view = _text(_browser(contract.freelancer).get(page))
    assert "Our staff are looking into it" in freelancer_view
    client_view = _text(_browser(contract.client).get(page))
    assert "Payment to the freelancer delayed" in client_view
    assert "source_transaction" not in client_view + freelancer_view + earnings  # for staff only

    ops = _text(_browser(make_user(staff=True)).get(reverse("frontend:ops")))
    assert "Payout stuck" in ops
    assert "after 5 attempts" in ops
    assert "Insufficient funds from source_transaction ch_1" in ops


def test_a_paused_payout_says_until_when_on_both_sides():
    contract, milestone, transfer = _approved()
    until = timezone.now() + timedelta(hours=70)
    ConnectedAccount.objects.filter(user=contract.freelancer).update(payouts_paused_until=until)
    Transfer.objects.filter(pk=transfer.pk).update(status=Transfer.Status.BLOCKED, next_attempt_at=until)
    page = reverse("frontend:milestone_detail", args=[contract.pk, milestone.pk])

    earnings = _text(_browser(contract.freelancer).get(reverse("frontend:earnings")))
    assert "Payouts paused until" in earnings
    assert "your payout bank account changed" in earnings
    assert "Goes out on" in _text(_browser(contract.client).get(page))


def test_a_stuck_refund_and_a_discrepancy():
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    refund = Refund.objects.get(settlement=hold_refund(hold=Hold.objects.get(milestone=milestone)))
    for _ in range(5):
        outgoing_refused(Refund, refund.pk, "Charge ch_1 has already been refunded.", waiting_status="failed")
    ProcessorDiscrepancy.objects.create(
        kind=ProcessorDiscrepancy.Kind.UNMATCHED_PAYMENT,
        processor_id="pi_stranger",
        amount_minor=4_200,
        currency="USD",
        detail="A payment of 4200 USD that no charge of ours asked for (no metadata)",
    )
    page = reverse("frontend:milestone_detail", args=[contract.pk, milestone.pk])
    assert "Your refund is delayed" in _text(_browser(contract.client).get(page))
    ops = _text(_browser(make_user(staff=True)).get(reverse("frontend:ops")))
    assert "Refund stuck" in ops
    assert "pi_stranger" in ops
    assert "$42.00" in ops
