"""Edges a review found in the payout paths: a refund the processor failed is not money returned; a
payout that waited while payouts were switched on is sent by the retry sweep; a refused transfer is
tried again under a key of its own; a release whose fee share is all of it sends nothing; a
confirmation without a payment id is a clear 404."""

import json

import pytest
from django.urls import reverse

from escrow import idempotency
from escrow.models import ConnectedAccount, LedgerTransaction, Refund, Transfer
from escrow.services.holds import hold_create, hold_release
from escrow.services.payouts import transfers_unblock_for
from escrow.tasks import retry_intents
from marketplace.core.money import Money
from tests.escrow.builders import DESIGN_AND_BUILD, fund, fund_milestone, refund
from tests.factories import make_client, make_contract, make_freelancer
from tests.support.fake_stripe import sign_payload

pytestmark = pytest.mark.django_db


def _signed_post(client, event: dict, secret: str):
    payload = json.dumps(event)
    return client.post(
        reverse("escrow:stripe_webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign_payload(payload, secret),
    )


@pytest.mark.parametrize("status", ["failed", "canceled"])
def test_a_refund_the_processor_failed_is_not_booked_as_returned(client, settings, status):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_edges"
    contract = make_contract(milestones=[("Only", 10_000)])
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    waiting = refund(milestone.hold, sent=False)
    event = {
        "id": f"evt_refund_{status}",
        "object": "event",
        "type": "refund.updated",
        "data": {
            "object": {
                "id": "re_1",
                "object": "refund",
                "status": status,
                "metadata": {"refund_id": waiting.pk},
            }
        },
    }
    assert _signed_post(client, event, "whsec_edges").status_code == 200
    from escrow.models import WebhookEvent
    from escrow.services.webhooks import webhook_process

    webhook_process(row_id=WebhookEvent.objects.get(event_id=event["id"]).pk)
    assert Refund.objects.get(pk=waiting.pk).status == Refund.Status.INTENDED
    assert not LedgerTransaction.objects.filter(kind="refund_out").exists()
    succeeded = {**event, "id": "evt_refund_ok"}
    succeeded["data"] = {"object": {**event["data"]["object"], "status": "succeeded"}}  # positive control
    _signed_post(client, succeeded, "whsec_edges")
    webhook_process(row_id=WebhookEvent.objects.get(event_id="evt_refund_ok").pk)
    assert Refund.objects.get(pk=waiting.pk).status == Refund.Status.SENT


def test_a_payout_blocked_while_payouts_were_switched_on_is_sent_by_the_sweep():
    contract = make_contract(milestones=[("Only", 10_000)])
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    transfer = Transfer.objects.get(settlement=hold_release(hold=milestone.hold))
    assert transfer.status == Transfer.Status.BLOCKED
    # The account became ready after the release read it, and its own sync found nothing waiting yet.
    ConnectedAccount.objects.create(
        user=contract.freelancer,
        account_id="acct_late",
        idempotency_key="k",
        payouts_enabled=True,
        transfers_active=True,
    )
    assert retry_intents(older_than_seconds=0)["unblocked"] == 1
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.INTENDED


def test_a_refused_transfer_is_tried_again_under_a_key_of_its_own():
    contract = make_contract(milestones=[("Only", 10_000)])
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    transfer = Transfer.objects.get(settlement=hold_release(hold=milestone.hold))
    first_key = transfer.idempotency_key
    Transfer.objects.filter(pk=transfer.pk).update(last_error="Destination lacks transfers", attempts=1)
    transfers_unblock_for(contract.freelancer_id)
    assert idempotency.base_of(Transfer.objects.get(pk=transfer.pk).idempotency_key) == (
        f"{idempotency.base_of(first_key)}-1"
    )
    Transfer.objects.filter(pk=transfer.pk).update(status=Transfer.Status.BLOCKED)  # blocked, never refused
    other = make_contract(milestones=[("Only", 10_000)])
    fund_milestone(other.milestones.get())
    plain = Transfer.objects.get(settlement=hold_release(hold=other.milestones.get().hold))
    transfers_unblock_for(other.freelancer_id)
    assert Transfer.objects.get(pk=plain.pk).idempotency_key == plain.idempotency_key


def test_a_release_whose_fee_share_is_all_of_it_sends_nothing():
    hold = hold_create(
        payer=make_client(),
        payee=make_freelancer(),
        amount=Money(10_000, "USD"),
        client_fee_bp=0,
        freelancer_fee_bp=1_000,
        reference="sliver",
        transfer_group="sliver",
    )
    fund(hold)
    hold_release(hold=hold, amount=Money(4, "USD"))  # fee share 0: 4 to send
    sliver = hold_release(hold=hold, amount=Money(1, "USD"))  # fee share 1: nothing to send
    assert sliver.payee_amount_minor == 0
    assert not Transfer.objects.filter(settlement=sliver).exists()
    assert Transfer.objects.filter(settlement__hold=hold).count() == 1


def test_a_confirmation_without_a_payment_id_is_a_clear_404(client):
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    milestone = contract.milestones.first()
    client.force_login(contract.client)
    url = reverse("frontend:milestone_fund_confirm", args=[contract.pk, milestone.pk])
    for data in ({}, {"payment_intent": ""}):
        answer = client.post(url, data)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "unknown_payment"
