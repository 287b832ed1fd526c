"""Funding a hold: the payer's customer, a PaymentIntent for amount + client fee, and its result.

The card is confirmed in the payer's browser (Stripe.js handles 3-D Secure); the hold becomes
funded from the confirmed PaymentIntent (``charge_sync`` after the page's confirmation) and,
independently, from the ``payment_intent.succeeded`` webhook — whichever comes first; the second
finds the charge already succeeded and does nothing. Recording it also books what the processor
kept of it (its fee, from the charge's balance transaction) as the platform's cost.

A PaymentIntent cancelled at the processor (``payment_intent.canceled``, or read so) can never be
paid: its charge ends ``canceled``, and the next request for the hold's payment makes a new one.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from marketplace.core.exceptions import Conflict, DependencyUnavailable, InvalidInput, NotFound
from marketplace.core.money import Money

from .. import gateway, idempotency, locks
from ..limits import require_chargeable
from ..models import Charge, Customer, Hold, LedgerAccount, LedgerTransaction
from .holds import hold_fund
from .ledger import Account, ledger_accounts_make, ledger_post
from .replays import made_once

logger = logging.getLogger(__name__)


def _unavailable(error: gateway.GatewayError) -> DependencyUnavailable:
    return DependencyUnavailable(
        f"The payment processor did not answer; nothing was charged. ({error.message})"
    )


def _not_checked(error: gateway.GatewayError) -> DependencyUnavailable:
    """After the card step the card may well have been charged: say so, and not to pay again."""
    return DependencyUnavailable(
        "The payment processor did not answer, so the payment could not be checked yet. If the card "
        "step went through, the payment is recorded within a few minutes: do not pay again. "
        f"({error.message})"
    )


def _refused(error: gateway.GatewayError) -> InvalidInput:
    return InvalidInput(
        f"The payment processor refused this payment: {error.message}", code="processor_refused"
    )


def customer_for(user) -> str:
    """The payer's processor customer id, made once (intent row, call, result)."""
    customer, _ = Customer.objects.get_or_create(
        user=user, defaults={"idempotency_key": idempotency.customer_key(user.pk)}
    )
    if customer.customer_id:
        return customer.customer_id
    try:
        made = made_once(
            customer,
            create=lambda key: gateway.create_customer(
                email=user.email,
                name=getattr(user, "display_name", "") or user.email,
                metadata={"user_id": user.pk},
                idempotency_key=key,
            ),
            find=lambda key: gateway.find_customer(email=user.email, idempotency_key=key),
        )
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    except gateway.ProcessorRefused as error:
        raise _refused(error) from error
    Customer.objects.filter(pk=customer.pk).update(customer_id=made.id)
    return made.id


def saved_cards(user) -> list[gateway.Card]:
    """The payer's saved cards (id, brand, last four, expiry ``exp``), newest first; none if unknown."""
    customer = Customer.objects.filter(user=user).exclude(customer_id="").first()
    if customer is None:
        return []
    try:
        return gateway.list_cards(customer.customer_id)
    except gateway.GatewayError:
        logger.warning("saved cards of user %s could not be listed", user.pk, exc_info=True)
        return []


@transaction.atomic
def _charge_intent(hold: Hold, *, off_session: bool = False) -> Charge:
    locked = locks.lock_hold(hold)
    if locked.status != Hold.Status.PENDING:
        raise Conflict("This has been paid already.", code="already_funded")
    live = Charge.objects.filter(hold=locked).exclude(status__in=Charge.ENDED).first()
    if live is not None:
        return live
    # Agreed terms are checked when proposed (marketplace.jobs); this is the guard for a hold made
    # otherwise: a clear 400 rather than the processor's refusal.
    require_chargeable(Money(locked.charge_amount_minor, locked.currency))
    return Charge.objects.create(
        hold=locked,
        idempotency_key=(idempotency.off_session_charge_key if off_session else idempotency.charge_key)(
            locked.pk
        ),
        amount_minor=locked.charge_amount_minor,
        currency=locked.currency,
    )


def charge_start(*, hold: Hold) -> Charge:
    """The PaymentIntent the payer's browser confirms (one at a time per hold; a declined card
    leaves it open for another card, as the processor does; a cancelled one is replaced)."""
    charge = _charge_intent(hold)
    if charge.status == Charge.Status.OPEN:
        if not _cancelled_at_processor(charge):
            return charge
        charge = _charge_intent(hold)  # a new one in its place
    customer_id = customer_for(hold.payer)
    try:
        intent = made_once(
            charge,
            create=lambda key: gateway.create_payment_intent(
                amount_minor=charge.amount_minor,
                currency=charge.currency,
                customer_id=customer_id,
                transfer_group=hold.transfer_group,
                description=hold.description,
                metadata={"hold_id": hold.pk, "reference": hold.reference},
                idempotency_key=key,
            ),
            find=lambda key: gateway.find_payment_intent(customer_id=customer_id, idempotency_key=key),
        )
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    except gateway.ProcessorRefused as error:
        raise _refused(error) from error
    Charge.objects.filter(pk=charge.pk, status=Charge.Status.CREATING).update(
        status=Charge.Status.OPEN, payment_intent_id=intent.id, client_secret=intent.client_secret
    )
    charge.refresh_from_db()
    return charge


@dataclass(frozen=True, slots=True)
class OffSessionResult:
    """What charging the payer's saved card without them came to: the hold funded (``succeeded``),
    or the reason it was not (``code``: the processor's, e.g. ``card_declined``,
    ``authentication_required``; or ``no_saved_card``), which the caller records. ``charge`` is the
    charge row (None when no PaymentIntent was asked for: no saved card)."""

    succeeded: bool
    charge: Charge | None = None
    code: str = ""
    message: str = ""


NO_SAVED_CARD = "no_saved_card"


def _off_session_outcome(charge: Charge) -> OffSessionResult:
    if charge.status == Charge.Status.SUCCEEDED:
        return OffSessionResult(succeeded=True, charge=charge)
    return OffSessionResult(
        succeeded=False,
        charge=charge,
        code=charge.last_error_code or "payment_incomplete",
        message=charge.last_error_message or "The payment was not completed.",
    )


def _record_open(charge: Charge, intent: gateway.PaymentIntent) -> None:
    Charge.objects.filter(pk=charge.pk, status=Charge.Status.CREATING).update(
        status=Charge.Status.OPEN, payment_intent_id=intent.id, client_secret=intent.client_secret
    )


def charge_off_session(*, hold: Hold) -> OffSessionResult:
    """Fund a pending hold from the payer's saved card, without the payer (a weekly bill): one
    PaymentIntent, confirmed at once off session with the newest saved card, under the charge row's
    key (``idempotency.off_session_charge_key``).

    Three steps as every charge: the charge row is committed with its key, the processor is called
    with it, the answer is recorded. Paid: the hold is funded (``charge_record_success``: the ledger
    and ``hold_funded``). Declined, or the card needs its owner to authenticate: the PaymentIntent
    stays open for another card (the payer can pay it on the page: ``charge_start`` hands out this
    same open charge) and the reason comes back. A processor that did not answer raises
    ``DependencyUnavailable``: call again later, which repeats the same request (same key), or reads
    the PaymentIntent already made, so a card is never charged twice for one hold."""
    customer_id, cards = "", []
    try:
        live = Charge.objects.filter(hold=hold).exclude(status__in=Charge.ENDED).first()
        if live is None or live.status == Charge.Status.CREATING:
            customer_id = customer_for(hold.payer)
            cards = _cards_or_unavailable(customer_id)
            if not cards:
                return OffSessionResult(
                    succeeded=False,
                    code=NO_SAVED_CARD,
                    message="No card is saved for payments without you.",
                )
        charge = _charge_intent(hold, off_session=True)
    except Conflict as exc:
        if exc.code != "already_funded":
            raise
        paid = Charge.objects.filter(hold=hold, status=Charge.Status.SUCCEEDED).first()
        return OffSessionResult(succeeded=True, charge=paid)
    except InvalidInput as exc:  # an amount the processor would refuse (below its minimum)
        return OffSessionResult(succeeded=False, code=exc.code, message=exc.message)
    if charge.status == Charge.Status.OPEN:
        # A PaymentIntent exists (an earlier answer, or the payer's page): read it, never make another.
        return _off_session_outcome(charge_sync(payment_intent_id=charge.payment_intent_id))
    if not cards:  # another call made the row meanwhile: this one leaves it to that one
        raise DependencyUnavailable("The charge is being made; try again in a moment.")
    card = cards[0]
    try:
        intent = made_once(
            charge,
            create=lambda key: gateway.create_payment_intent(
                amount_minor=charge.amount_minor,
                currency=charge.currency,
                customer_id=customer_id,
                transfer_group=hold.transfer_group,
                description=hold.description,
                metadata={"hold_id": hold.pk, "reference": hold.reference},
                idempotency_key=key,
                off_session_card=card.id,
            ),
            find=lambda key: gateway.find_payment_intent(customer_id=customer_id, idempotency_key=key),
        )
        intent_id = intent.id
    except gateway.CardDeclined as error:
        intent_id = error.payment_intent_id or _found_intent_id(customer_id, charge)
        if not intent_id:
            raise _unavailable(error) from error
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    except gateway.ProcessorRefused as error:
        # Not a card's answer (e.g. the saved card changed between two tries of one key): nothing was
        # charged under it; end the row so that the next payment asks anew.
        Charge.objects.filter(pk=charge.pk, status=Charge.Status.CREATING).update(
            status=Charge.Status.CANCELED,
            last_error_code="processor_refused",
            last_error_message=error.message[:255],
        )
        return OffSessionResult(succeeded=False, code="processor_refused", message=error.message)
    # The PaymentIntent as it stands, with its charge's fee (what the create answer does not expand).
    try:
        intent = gateway.retrieve_payment_intent(intent_id)
    except gateway.ProcessorUnavailable as error:
        raise _not_checked(error) from error
    _record_open(charge, intent)
    charge.refresh_from_db()
    if intent.succeeded:
        return _off_session_outcome(charge_record_success(charge=charge, intent=intent))
    error = intent.last_error
    _record_error(
        charge,
        (error.code if error else "") or "card_declined",
        (error.message if error else "") or "The card was declined.",
    )
    return _off_session_outcome(Charge.objects.get(pk=charge.pk))


def _cards_or_unavailable(customer_id: str) -> list[gateway.Card]:
    try:
        return gateway.list_cards(customer_id)
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    except gateway.ProcessorRefused:
        return []


def _found_intent_id(customer_id: str, charge: Charge) -> str:
    try:
        found = gateway.find_payment_intent(customer_id=customer_id, idempotency_key=charge.idempotency_key)
    except gateway.GatewayError:
        return ""
    return found.id if found else ""


def _cancelled_at_processor(charge: Charge) -> bool:
    """Whether the open charge's PaymentIntent was cancelled (then the charge is, too). Read before
    handing it out again: a cancellation whose event is late or lost must not leave the hold with a
    PaymentIntent nobody can pay. A processor that does not answer now leaves it as it is."""
    try:
        intent = gateway.retrieve_payment_intent(charge.payment_intent_id)
    except gateway.GatewayError:
        logger.warning("charge %s could not be read before reuse", charge.pk, exc_info=True)
        return False
    if intent.succeeded:  # paid meanwhile (its event not processed yet): record it
        charge_record_success(charge=charge, intent=intent)
        raise Conflict("This has been paid already.", code="already_funded")
    if intent.canceled:
        _record_canceled(charge)
    elif not charge.client_secret and intent.client_secret:
        # Recorded from a webhook or an off-session answer that did not carry it: the page needs it.
        Charge.objects.filter(pk=charge.pk, client_secret="").update(client_secret=intent.client_secret)
        charge.client_secret = intent.client_secret
    return intent.canceled


def _record_canceled(charge: Charge) -> None:
    Charge.objects.filter(pk=charge.pk).exclude(status__in=Charge.ENDED).update(status=Charge.Status.CANCELED)


def _charge_of(payment_intent_id: str, hold_id) -> Charge:
    charge = Charge.objects.filter(payment_intent_id=payment_intent_id).first()
    if charge is None and str(hold_id or "").isdigit():
        # The processor answered but our result step never committed (a crash or a timeout).
        charge = Charge.objects.filter(hold_id=int(hold_id), status=Charge.Status.CREATING).first()
        if charge is not None:
            Charge.objects.filter(pk=charge.pk, payment_intent_id="").update(
                payment_intent_id=payment_intent_id, status=Charge.Status.OPEN
            )
            charge.refresh_from_db()
    if charge is None:
        raise NotFound("No charge of ours has this payment.", code="unknown_payment")
    return charge


def charge_sync(*, payment_intent_id: str, hold_id: int | str | None = None) -> Charge:
    """Bring the charge up to date with its PaymentIntent as the processor has it now."""
    if not payment_intent_id:
        raise NotFound("No charge of ours has this payment.", code="unknown_payment")
    charge = _charge_of(payment_intent_id, hold_id)
    if charge.status in Charge.ENDED:
        return charge
    try:
        intent = gateway.retrieve_payment_intent(payment_intent_id)
    except gateway.ProcessorUnavailable as error:
        raise _not_checked(error) from error
    except gateway.ProcessorRefused as error:
        raise NotFound(
            f"The payment processor does not know this payment: {error.message}", code="unknown_payment"
        ) from error
    if intent.succeeded:
        return charge_record_success(charge=charge, intent=intent)
    if intent.canceled:
        _record_canceled(charge)
        return Charge.objects.get(pk=charge.pk)
    # The processor's last error is current (a new attempt clears it there, so here too).
    error = intent.last_error
    if error is None:
        _record_error(charge, "", "")
    else:
        _record_error(charge, error.code or "card_declined", error.message or "The card was declined.")
    return Charge.objects.get(pk=charge.pk)


def charge_confirm(*, hold: Hold | None, payment_intent_id: str, paying_for: str) -> Charge:
    """After the payer's card step for ``hold``: its charge as the processor has it now. A payment of
    another hold (or none) is 404 ``unknown_payment`` ("This payment is not for this <paying_for>.");
    a PaymentIntent cancelled at the processor is 409 ``payment_canceled`` (the next start makes a
    new one); a decline keeps its reason on the charge."""
    known = bool(payment_intent_id) and hold is not None
    if not (known and Charge.objects.filter(hold=hold, payment_intent_id=payment_intent_id).exists()):
        raise NotFound(f"This payment is not for this {paying_for}.", code="unknown_payment")
    charge = charge_sync(payment_intent_id=payment_intent_id)
    if charge.status == Charge.Status.CANCELED:
        raise Conflict(
            "This payment was cancelled at the payment processor before it was paid, so nothing was "
            "charged. Start the payment again.",
            code="payment_canceled",
        )
    return charge


def _record_error(charge: Charge, code: str, message: str) -> None:
    Charge.objects.filter(pk=charge.pk).exclude(status=Charge.Status.SUCCEEDED).update(
        last_error_code=code, last_error_message=message[:255]
    )


def _card_label(card: gateway.Card | None) -> str:
    return f"{card.brand.title()} •••• {card.last4}" if card else ""


@transaction.atomic
def charge_record_success(*, charge: Charge, intent: gateway.PaymentIntent) -> Charge:
    """The result step: the charge succeeded, the hold is funded, its ledger entries written."""
    hold, locked = locks.lock_charge(charge)  # the hold, then the charge: the order of every escrow write
    if locked.status == Charge.Status.SUCCEEDED:
        return locked
    if intent.amount_minor != locked.amount_minor or intent.currency != locked.currency:
        raise Conflict("The processor charged another amount than this charge asked.", code="amount_mismatch")
    locked.status = Charge.Status.SUCCEEDED
    locked.charge_id = intent.charge_id
    locked.card_label = _card_label(intent.card)
    locked.succeeded_at = timezone.now()
    locked.save(update_fields=["status", "charge_id", "card_label", "succeeded_at"])
    hold_fund(hold=hold, charge=locked)
    if intent.fee is not None and intent.fee.amount_minor:
        _processor_fee_post(hold, intent.fee)
    return locked


def _processor_fee_post(hold: Hold, fee: gateway.ProcessorFee) -> None:
    """What the processor kept of the charge, as the platform's cost (in the balance transaction's
    currency, which may differ from the charge's: the platform's settlement currency)."""
    fees = Account(LedgerAccount.Kind.PROCESSOR_FEES, fee.currency)
    clearing = Account(LedgerAccount.Kind.PROCESSOR_CLEARING, fee.currency)
    if fee.currency != hold.currency:  # the hold made its own currency's accounts
        ledger_accounts_make([fees, clearing])
    ledger_post(
        kind=LedgerTransaction.Kind.PROCESSOR_FEE,
        currency=fee.currency,
        lines=[(fees, -fee.amount_minor), (clearing, fee.amount_minor)],
        hold=hold,
        external_id=fee.balance_transaction_id,
        memo=f"Processor fee: {hold.description}"[:255],
    )
