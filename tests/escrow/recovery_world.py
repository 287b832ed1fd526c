"""Money that went wrong after it was decided, through the real services and the fake Stripe: a
milestone funded by card on the fake, approved, and its payout or refund refused or failed there.
Celery's after-commit tasks do not run in these tests (the test transaction never commits): the
test makes the worker's and the beat's calls itself (``transfer_send``, ``retry_intents``)."""

import json

from django.test import Client
from django.urls import reverse

from escrow.models import Charge, ConnectedAccount, Transfer, WebhookEvent
from escrow.services.connect import connected_account_sync
from escrow.services.webhooks import webhook_process
from escrow.tasks import retry_intents
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from tests.escrow.money_world import onboard, pay_in_browser
from tests.factories import make_contract
from tests.support.fake_stripe import FakeStripe, sign_payload

WEBHOOK_SECRET = "whsec_recovery"


def funded(fake: FakeStripe, amount_minor: int = 60_000) -> Milestone:
    """A one-milestone contract whose client paid by card on the fake."""
    contract = make_contract(milestones=(amount_minor,))
    milestone = contract.milestones.get()
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    contract_services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    milestone.refresh_from_db()
    return milestone


def ready_for_payouts(fake: FakeStripe, user) -> ConnectedAccount:
    """Onboarded on the fake and read back, as the payout settings page's return does."""
    account = onboard(fake, user)
    return connected_account_sync(account_id=account.account_id)


def approve(milestone: Milestone) -> Transfer:
    contract = milestone.contract
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    contract_services.milestone_approve(acting_user=contract.client, milestone=milestone)
    return Transfer.objects.get(settlement__hold__milestone=milestone)


def paid_charge(milestone: Milestone) -> Charge:
    return Charge.objects.get(hold__milestone=milestone, status=Charge.Status.SUCCEEDED)


def deliver(event: dict) -> WebhookEvent:
    """Post a fake Stripe event to our endpoint, signed, and process it as the worker would."""
    from django.conf import settings

    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = json.dumps(event)
    response = Client().post(
        reverse("escrow:stripe_webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign_payload(payload, WEBHOOK_SECRET),
    )
    assert response.status_code == 200, response.content
    row = WebhookEvent.objects.get(event_id=event["id"])
    webhook_process(row_id=row.pk)
    return row


def sweep() -> dict[str, int]:
    """One run of the beat's retry sweep; nothing in it may fail."""
    done = retry_intents(older_than_seconds=0)
    assert done["failed"] == 0, done
    return done
