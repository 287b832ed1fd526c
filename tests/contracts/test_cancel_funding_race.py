"""A client cancels a contract while its card payment for a milestone is being recorded.

The payer must never be told their payment failed (a 409) for money that was taken: whichever comes
first, the cancellation stands and the money goes back — at once when the contract had already
ended, or after the freelancer's dispute window when the funding got in first.

What makes this hold is the one lock order (``escrow/locks.py``, ``contracts/locks.py``): cancelling
locks the milestones' holds before the milestones, and escrow's funding locks the hold first and
reads the milestone under it. The test holds the cancellation's transaction open (its locks taken,
nothing committed) while the payment is recorded: when cancelling locked only the milestones, that
gave the payer a 409 ``illegal_transition`` for money that was taken (shown by removing the lock).
"""

import threading
import time

import pytest
from django.db import connection, transaction

from escrow.models import Hold, Refund
from marketplace.contracts import services
from marketplace.contracts.models import Contract, Milestone
from tests.escrow.money_world import pay_in_browser
from tests.factories import make_contract

pytestmark = pytest.mark.django_db(transaction=True)

LINGER_SECONDS = 0.5


def _paid_in_browser(fake):
    """A milestone whose client has paid in the card form; the confirmation is not recorded yet."""
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    charge = services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    return contract, milestone, charge.payment_intent_id


def _run(*calls):
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test asserts on
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a lock was never released"
    return outcomes


@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-first", "payment-first"])
def test_a_payment_recorded_during_a_cancellation_is_never_refused(stripe_fake, cancel_first):
    contract, milestone, payment_intent_id = _paid_in_browser(stripe_fake)
    first_holds_its_locks = threading.Event()

    def cancel():
        with transaction.atomic():
            services.contract_cancel(
                acting_user=contract.client,
                contract=contract,
                reason="Plans changed.",
                cancel_reason="plans_changed",
            )
            if cancel_first:
                first_holds_its_locks.set()
                time.sleep(LINGER_SECONDS)  # the payment is recorded now, while these locks are held

    def confirm():
        if cancel_first:
            first_holds_its_locks.wait(10)
        return services.milestone_fund_confirm(
            acting_user=contract.client,
            milestone=Milestone.objects.get(pk=milestone.pk),
            payment_intent_id=payment_intent_id,
        )

    if cancel_first:
        cancelled, confirmed = _run(cancel, confirm)
    else:
        confirmed = confirm()
        (cancelled,) = _run(cancel)

    assert not isinstance(confirmed, Exception), confirmed  # the payer is not told it failed
    assert not isinstance(cancelled, Exception), cancelled
    assert confirmed.status == "succeeded"
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.CANCELLED
    milestone.refresh_from_db()
    hold = Hold.objects.get(pk=milestone.hold_id)
    if cancel_first:
        # The contract had ended when the money arrived: it goes straight back.
        assert milestone.status == Milestone.Status.CANCELLED
        assert hold.status == Hold.Status.SETTLED
        assert Refund.objects.filter(settlement__hold=hold).count() == 1
    else:
        # Funded first: refunded once the freelancer's dispute window has passed.
        assert milestone.status == Milestone.Status.FUNDED
        assert milestone.refund_due_at is not None
        assert hold.status == Hold.Status.FUNDED
