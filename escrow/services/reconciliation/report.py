"""Writing a run's findings: each kind's suggested action in plain words, and a writer that saves the
findings a page at a time (memory holds one page of them, however many there are)."""

from marketplace.core.money import format_money

from ...models import ReconciliationFinding, ReconciliationRun

Kind = ReconciliationFinding.Kind
BATCH = 100

ACTIONS = {
    Kind.STORED_BALANCE_OFF: (
        "Tell engineering: something changed this balance outside the ledger's triggers. Nothing may be "
        "paid from the account until its balance is rebuilt from its entries."
    ),
    Kind.CHARGE_MISSING_IN_LEDGER: (
        "The retry sweep (escrow.retry_intents) records a payment it can match; if this stays, open the "
        "hold's payment in the Stripe Dashboard and either record it (engineering) or refund it."
    ),
    Kind.LEDGER_FUND_WITHOUT_CHARGE: (
        "Do not release this hold: no money came in for it. Check the PaymentIntent in the Stripe "
        "Dashboard and tell engineering."
    ),
    Kind.AMOUNT_MISMATCH: (
        "Compare the payment in the Stripe Dashboard with the hold: refund what was charged too much, or "
        "collect what is missing before the hold is released."
    ),
    Kind.REFUND_MISSING: (
        "The payer has not been refunded through Stripe. Find the refund in the Dashboard, or refund the "
        "payer there, and note the refund's id here."
    ),
    Kind.REFUND_FAILED: (
        "The card refused the refund. Contact the payer for another way to return the money, and note "
        "how it was returned here."
    ),
    Kind.REFUND_MISSING_IN_LEDGER: (
        "Stripe refunded money the ledger does not show returned. If the refund is ours, the retry sweep "
        "records it; if someone refunded by hand in the Dashboard, record why here."
    ),
    Kind.REFUND_AMOUNT_MISMATCH: (
        "The payer got back another amount than the ledger says. Check the refund in the Dashboard and "
        "settle the difference with the payer."
    ),
    Kind.TRANSFER_MISSING: (
        "The freelancer may not have been paid. Find the transfer in the Stripe Dashboard; if there is "
        "none, send it again (engineering) and note its id here."
    ),
    Kind.TRANSFER_MISSING_IN_LEDGER: (
        "Stripe paid a freelancer money the ledger does not show paid out. If the transfer is ours, the "
        "retry sweep records it; if someone sent it by hand, record why here."
    ),
    Kind.TRANSFER_AMOUNT_MISMATCH: (
        "The freelancer got another amount than the ledger says. Check the transfer in the Dashboard and "
        "settle the difference."
    ),
    Kind.TRANSFER_REVERSED: (
        "Money came back from the freelancer's account. Find out why (the transfer's reversals in the "
        "Dashboard), then pay the freelancer again or record the recovery, and note it here."
    ),
    Kind.ORPHAN_PROCESSOR_OBJECT: (
        "Nothing here knows this Stripe object. Look it up in the Dashboard: if someone made it by hand, "
        "note why; if it is a payment nobody can match, refund it."
    ),
    Kind.FEE_MISSING_IN_LEDGER: (
        "The platform's cost of this payment is not booked. Tell engineering to book the fee of this "
        "balance transaction (a processor_fee posting); nothing is owed to anyone."
    ),
    Kind.FEE_AMOUNT_MISMATCH: (
        "The ledger books another fee than Stripe kept. Check the balance transaction in the Stripe "
        "Dashboard and tell engineering to correct the fee posting."
    ),
    Kind.FEE_WITHOUT_BALANCE_TRANSACTION: (
        "The ledger books a fee from a balance transaction Stripe does not have. Check the payment in "
        "the Dashboard and tell engineering to reverse the fee posting if it is wrong."
    ),
    Kind.DISPUTE_NOT_RECORDED: (
        "A chargeback was missed here (its webhook was lost): the hold was not frozen. Tell engineering "
        "to replay the dispute's events, and respond to the dispute in the Dashboard before its due date."
    ),
    Kind.DISPUTE_STATUS_MISMATCH: (
        "Stripe decided the dispute but this hold does not show it (a lost or late event). Tell "
        "engineering to read the dispute again, which books the outcome; until then do not release the hold."
    ),
    Kind.DISPUTE_AMOUNT_MISMATCH: (
        "The bank disputes another amount than recorded here. Check the dispute in the Dashboard and "
        "tell engineering before the outcome is booked."
    ),
}


def money(amount_minor: int | None, currency: str) -> str:
    return format_money(amount_minor, currency) if amount_minor is not None else "nothing"


class Report:
    """A run's findings as they are found, saved in batches; ``count`` of them so far."""

    def __init__(self, run: ReconciliationRun):
        self.run = run
        self.count = 0
        self._pending: list[ReconciliationFinding] = []

    def add(
        self,
        kind: str,
        detail: str,
        *,
        currency: str = "",
        processor_type: str = "",
        processor_id: str = "",
        processor_amount_minor: int | None = None,
        ledger_ref: str = "",
        ledger_amount_minor: int | None = None,
        hold_id: int | None = None,
    ) -> None:
        self._pending.append(
            ReconciliationFinding(
                run=self.run,
                kind=kind,
                currency=currency,
                processor_type=processor_type,
                processor_id=processor_id,
                processor_amount_minor=processor_amount_minor,
                ledger_ref=ledger_ref,
                ledger_amount_minor=ledger_amount_minor,
                hold_id=hold_id,
                detail=detail[:500],
                action=ACTIONS[kind],
                fingerprint=":".join(
                    map(str, (kind, processor_id, processor_amount_minor, ledger_ref, ledger_amount_minor))
                )[:255],
            )
        )
        self.count += 1
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        ReconciliationFinding.objects.bulk_create(self._pending)
        self._pending = []
