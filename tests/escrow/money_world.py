"""A fixed-price contract whose money moves through the real services, the real webhook endpoint and
the fake Stripe, and checks that the fake's own objects match the ledger."""

from django.db.models import Sum
from django.test import override_settings

from escrow.models import (
    Charge,
    ConnectedAccount,
    LedgerAccount,
    LedgerEntry,
    ReconciliationRun,
    Refund,
    Transfer,
)
from escrow.services.connect import connected_account_for
from escrow.services.reconciliation import reconciliation_execute, reconciliation_start
from marketplace.contracts.models import Contract
from tests.support.fake_stripe import FakeStripe

Kind = LedgerAccount.Kind


def pay_in_browser(fake: FakeStripe, payment_intent_id: str, card: str = "pm_card_visa") -> dict:
    """What Stripe.js does with the card form: confirm the PaymentIntent with the publishable key."""
    intent = fake.get(f"/v1/payment_intents/{payment_intent_id}")
    response = fake.http.post(
        f"/v1/payment_intents/{payment_intent_id}/confirm",
        data={"payment_method": card, "client_secret": intent["client_secret"]},
        headers={"Authorization": f"Bearer {fake.publishable_key}"},
    )
    return response.json()


def onboard(fake: FakeStripe, user) -> ConnectedAccount:
    """The freelancer's Connect account, made through the gateway and onboarded on the fake."""
    account = connected_account_for(user, country="US")
    fake.complete_onboarding(account.account_id)
    return account


def ledger_sum(kind: str, **owner) -> int:
    entries = LedgerEntry.objects.filter(account__kind=kind, **{f"account__{k}": v for k, v in owner.items()})
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


def assert_reconciles(foreign: tuple[str, ...] = ()) -> None:
    """The reconciliation (all of the test's objects, seconds old) finds nothing but the ``foreign``
    objects (another integration's on the same Stripe account), each an orphan."""
    with override_settings(RECONCILIATION_GRACE_SECONDS=0):
        run = reconciliation_execute(reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE))
    assert (run.status, run.error) == (ReconciliationRun.Status.DONE, "")
    found = sorted(run.findings.values_list("kind", "processor_id", "detail"))
    assert [(kind, object_id) for kind, object_id, _ in found] == sorted(
        ("orphan_processor_object", object_id) for object_id in foreign
    ), found


def assert_fake_matches_ledger(
    fake: FakeStripe, contract: Contract, *, foreign: tuple[str, ...] = ()
) -> None:
    """The fake Stripe's own objects and our ledger tell the same story, to the minor unit, and the
    reconciliation says so too (``foreign``: ids of objects another integration made)."""
    group = f"contract-{contract.pk}"
    intents = [pi for pi in fake.list("/v1/payment_intents") if pi["transfer_group"] == group]
    paid = [pi for pi in intents if pi["status"] == "succeeded"]
    charges = {
        charge["id"]: charge for charge in fake.list("/v1/charges") if charge["transfer_group"] == group
    }
    ours = Charge.objects.filter(hold__transfer_group=group, status=Charge.Status.SUCCEEDED)
    assert sorted(pi["id"] for pi in paid) == sorted(ours.values_list("payment_intent_id", flat=True))
    funded = sum(pi["amount"] for pi in paid)
    assert -ledger_sum(Kind.CLIENT_FUNDING, user_id=contract.client_id) == funded
    transfers = [t for t in fake.list("/v1/transfers") if t["transfer_group"] == group]
    sent = Transfer.objects.filter(settlement__hold__transfer_group=group, status=Transfer.Status.SENT)
    assert sorted(t["id"] for t in transfers) == sorted(sent.values_list("processor_id", flat=True))
    for transfer in transfers:
        assert transfer["source_transaction"] in charges
        assert transfer["destination"] == ConnectedAccount.objects.get(user=contract.freelancer).account_id
    paid_out = sum(t["amount"] - t["amount_reversed"] for t in transfers)
    refunds = [r for r in fake.list("/v1/refunds") if r["charge"] in charges]
    refunded = sum(r["amount"] for r in refunds)
    assert sorted(r["id"] for r in refunds) == sorted(
        Refund.objects.filter(settlement__hold__transfer_group=group, status=Refund.Status.SENT).values_list(
            "processor_id", flat=True
        )
    )
    assert sum(charge["amount_refunded"] for charge in charges.values()) == refunded
    # Stripe kept its fee out of each paid charge: the platform's cost, gone out through Stripe too.
    kept = sum(
        fake.get(f"/v1/balance_transactions/{charges[pi['latest_charge']]['balance_transaction']}")["fee"]
        for pi in paid
    )
    assert ledger_sum(Kind.PROCESSOR_FEES) == -kept
    assert ledger_sum(Kind.PROCESSOR_CLEARING) == paid_out + refunded + kept
    held = sum(
        ledger_sum(Kind.ESCROW_HELD, hold_id=m.hold_id) for m in contract.milestones.exclude(hold=None)
    )
    payable = ledger_sum(Kind.FREELANCER_PAYABLE, user_id=contract.freelancer_id)
    owed_back = ledger_sum(Kind.REFUNDS_PAYABLE, user_id=contract.client_id)
    revenue = ledger_sum(Kind.PLATFORM_REVENUE)
    # Everything that came in is held, owed, earned or gone out through Stripe.
    assert funded == held + payable + owed_back + revenue + paid_out + refunded
    assert_reconciles(foreign)
