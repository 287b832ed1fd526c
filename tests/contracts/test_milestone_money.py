"""A milestone's money end to end through the real services, the fake Stripe (official library) and
the real webhook endpoint (served by ``live_server``; its task runs eagerly in the server thread):
fund → submit → ask for changes → submit → approve → the release waits for payouts → the freelancer
onboards → paid. After each step the fake's own PaymentIntents, transfers and refunds match the
ledger. Then: a declined card, cancelling, and the approval deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escrow.models import Charge, Hold, Transfer, WebhookEvent
from marketplace.config.celery import app as celery_app
from marketplace.contracts import services
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict
from messaging.models import Notification
from tests.escrow.money_world import assert_fake_matches_ledger, onboard, pay_in_browser
from tests.factories import make_contract


@pytest.fixture
def webhooks(stripe_fake, live_server, settings):
    """The fake delivers every event to our endpoint; processing runs at once in the server thread."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.STRIPE_WEBHOOK_SECRET = stripe_fake.register_webhook(f"{live_server.url}/stripe/webhook/")
    yield stripe_fake
    celery_app.conf.task_always_eager = eager


def _fund(fake, contract, milestone, card="pm_card_visa"):
    charge = services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id, card)
    return charge


def test_a_milestone_from_funding_to_payout(webhooks, transactional_db):
    fake = webhooks
    contract = make_contract(milestones=(100_000, 50_000))
    first = contract.milestones.first()

    charge = _fund(fake, contract, first)
    intent = fake.get(f"/v1/payment_intents/{charge.payment_intent_id}")
    assert intent["amount"] == 105_000  # 1,000.00 + 5 % client fee
    assert intent["transfer_group"] == f"contract-{contract.pk}"
    fake.flush_webhooks()  # payment_intent.succeeded funds it first …
    first.refresh_from_db()
    assert first.status == Milestone.Status.FUNDED
    confirmed = services.milestone_fund_confirm(
        acting_user=contract.client, milestone=first, payment_intent_id=charge.payment_intent_id
    )  # … and the page's own confirmation finds it done
    assert confirmed.status == Charge.Status.SUCCEEDED
    assert_fake_matches_ledger(fake, contract)
    assert Notification.objects.filter(recipient=contract.freelancer, kind="milestone_funded").count() == 1

    services.milestone_submit(acting_user=contract.freelancer, milestone=first, message="Version one.")
    services.milestone_request_revision(acting_user=contract.client, milestone=first, message="Bigger logo.")
    first.refresh_from_db()
    assert first.status == Milestone.Status.REVISION_REQUESTED
    assert first.auto_approve_at is None
    services.milestone_submit(
        acting_user=contract.freelancer,
        milestone=first,
        message="Version two.",
        files=[("notes.txt", b"done")],
    )
    services.milestone_approve(acting_user=contract.client, milestone=first)
    first.refresh_from_db()
    assert first.status == Milestone.Status.APPROVED  # no payout account yet: the release waits
    transfer = Transfer.objects.get(settlement__hold=first.hold)
    assert transfer.status == Transfer.Status.BLOCKED
    assert transfer.amount_minor == 90_000  # 1,000.00 - 10 %
    assert Notification.objects.filter(recipient=contract.freelancer, kind="payout_waiting").exists()
    assert_fake_matches_ledger(fake, contract)

    onboard(fake, contract.freelancer)
    fake.flush_webhooks()  # account.updated → payouts enabled → the waiting transfer goes out
    first.refresh_from_db()
    assert first.status == Milestone.Status.RELEASED
    sent = fake.get(f"/v1/transfers/{Transfer.objects.get(pk=transfer.pk).processor_id}")
    assert sent["amount"] == 90_000
    assert sent["source_transaction"] == Charge.objects.get(pk=charge.pk).charge_id
    assert Hold.objects.get(pk=first.hold_id).status == Hold.Status.SETTLED
    assert_fake_matches_ledger(fake, contract)
    assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == 0


def test_a_declined_card_leaves_the_milestone_unfunded_with_the_reason(webhooks, transactional_db):
    fake = webhooks
    contract = make_contract(milestones=(100_000, 50_000))
    milestone = contract.milestones.first()
    charge = _fund(fake, contract, milestone, card="pm_card_chargeDeclinedInsufficientFunds")
    fake.flush_webhooks()
    answer = services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    assert answer.status == Charge.Status.OPEN
    assert answer.last_error_message == "Your card has insufficient funds."
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    assert_fake_matches_ledger(fake, contract)
    # Another card on the same PaymentIntent pays it.
    again = services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    assert again.payment_intent_id == charge.payment_intent_id
    pay_in_browser(fake, again.payment_intent_id, "pm_card_visa")
    services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDED
    assert_fake_matches_ledger(fake, contract)


def test_cancelling_refunds_funded_unsubmitted_milestones_after_the_dispute_window(
    webhooks, transactional_db
):
    fake = webhooks
    contract = make_contract(milestones=(100_000, 50_000, 25_000))
    first, second, third = contract.milestones.all()
    _fund(fake, contract, first)
    _fund(fake, contract, second)
    fake.flush_webhooks()
    services.milestone_submit(acting_user=contract.freelancer, milestone=first, message="Done.")
    with pytest.raises(Conflict) as refused:
        services.contract_cancel(
            acting_user=contract.client,
            contract=contract,
            reason="Plans changed.",
            cancel_reason="plans_changed",
        )
    assert refused.value.code == "milestone_submitted"
    services.milestone_request_revision(acting_user=contract.client, milestone=first, message="Not quite.")
    services.contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    third.refresh_from_db()
    assert third.status == Milestone.Status.CANCELLED
    assert services.milestones_due()["refunded"] == 0  # the freelancer's 3 days first
    assert services.milestones_due(now=timezone.now() + timedelta(days=3, minutes=1))["refunded"] == 2
    for milestone in (first, second):
        milestone.refresh_from_db()
        assert milestone.status == Milestone.Status.REFUNDED
    refunds = fake.list("/v1/refunds")
    assert sorted(r["amount"] for r in refunds) == [52_500, 105_000]  # amount + client fee, all of it
    assert_fake_matches_ledger(fake, contract)


def test_a_submission_nobody_answers_is_approved_after_14_days(webhooks, transactional_db):
    fake = webhooks
    contract = make_contract(milestones=(40_000,))
    milestone = contract.milestones.get()
    onboard(fake, contract.freelancer)
    _fund(fake, contract, milestone)
    fake.flush_webhooks()
    services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Here it is.")
    assert services.milestones_due(now=timezone.now() + timedelta(days=13, hours=23))["approved"] == 0
    assert services.milestones_due(now=timezone.now() + timedelta(days=14, minutes=1))["approved"] == 1
    fake.flush_webhooks()
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    assert_fake_matches_ledger(fake, contract)
