"""Money: funding a milestone (a PaymentIntent the client confirms with Stripe.js or the mobile
SDKs, then a confirmation), a contract's ledger, your earnings and your receipts.

Escrow keeps the money and its records; these endpoints read them through escrow's selectors and
find the milestone each movement belongs to with ``selectors.milestones_by_hold``."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from escrow import selectors as escrow_selectors
from escrow.models import Charge
from marketplace.core.exceptions import DependencyUnavailable, DomainError
from marketplace.core.rest.schema import errors
from marketplace.jobs.api.base import KEY_NOTE, SESSION_NOTE, WRITE_NOTE

from ... import selectors, services
from ...money import funding_outcome
from ..base import CONTRACT_404, ContractsApiView
from ..serializers.milestones import MilestoneDetailSerializer
from ..serializers.money import (
    FundConfirmedSerializer,
    FundConfirmInputSerializer,
    FundStartSerializer,
    LedgerTransactionSerializer,
    MyEarningsSerializer,
    ReceiptSerializer,
)
from .milestones import MILESTONE_404, MilestoneApiView


class ProcessorUnavailable(DomainError):
    status = 503
    default_code = "processor_unavailable"


class PaymentRequired(DomainError):
    status = 402
    default_code = "card_declined"


@contextmanager
def processor_call() -> Iterator[None]:
    """The payment processor did not answer (nothing was charged): 503 ``processor_unavailable``."""
    try:
        yield
    except DependencyUnavailable as exc:
        raise ProcessorUnavailable(str(exc)) from exc


PROCESSOR_503 = errors(
    s503="`processor_unavailable`: the payment processor did not answer; nothing was charged"
)


def payment_started(charge: Charge) -> Response:
    """201: what the payer's card step needs to confirm the charge's PaymentIntent."""
    data = {
        "client_secret": charge.client_secret,
        "payment_intent": charge.payment_intent_id,
        "amount_minor": charge.amount_minor,
        "currency": charge.currency,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }
    return Response(FundStartSerializer(data).data, status=status.HTTP_201_CREATED)


def require_paid(charge: Charge) -> None:
    """402 unless the charge succeeded: the card's reason (``card_declined``), or
    ``payment_incomplete`` while the card step is not finished."""
    if charge.status == Charge.Status.SUCCEEDED:
        return
    if charge.last_error_code:
        raise PaymentRequired(charge.last_error_message or "The card was declined.")
    raise PaymentRequired(
        "The payment is not complete yet: finish the card step (and its authentication), then confirm again.",
        code="payment_incomplete",
    )


class MilestoneFundView(MilestoneApiView):
    @extend_schema(
        tags=["milestones"],
        summary="Start funding a milestone",
        description="The client side (needs `fund_work` for an organisation's contract) gets the "
        "PaymentIntent for the milestone's client total (amount + client fee), to confirm with the card: "
        "Stripe.js `confirmCardPayment(client_secret, …)` or Stripe's mobile SDKs. Asking again gives the "
        "same PaymentIntent (after a declined card, try another card on it). Then call `fund/confirm/`. "
        "409 `already_funded`, `not_fixed_price`, `contract_not_active`." + WRITE_NOTE,
        request=None,
        responses={
            201: FundStartSerializer,
            **errors(
                403,
                404,
                s403="`not_job_owner`, `not_a_member`, `role_forbids`",
                s404=MILESTONE_404,
                s409="`already_funded`, `not_fixed_price`, `contract_not_active`",
            ),
            **PROCESSOR_503,
        },
    )
    def post(self, request, pk: int, mid: int):
        with processor_call():
            charge = services.milestone_fund_start(
                acting_user=request.user, milestone=self.milestone(pk, mid)
            )
        return payment_started(charge)


class MilestoneFundConfirmView(MilestoneApiView):
    @extend_schema(
        tags=["milestones"],
        summary="Confirm funding",
        description="After the card step: the server reads the PaymentIntent from the processor. Paid: "
        "200, `status` `funded` (the money is held in escrow until the work is approved), or `refunded` "
        "when the contract ended before the payment went through (all of it goes back to the card); "
        "`message` says which. Not paid: 402 `card_declined` with the card's reason (try another card: "
        "`fund/` again), or `payment_incomplete` (not confirmed yet, e.g. authentication pending); 409 "
        "`payment_canceled` when the PaymentIntent was cancelled at the processor (`fund/` again gives a "
        "new one). Confirming a paid milestone again answers 200. 404 `unknown_payment` for a "
        "PaymentIntent not of this milestone. 503 `processor_unavailable`: the payment could not be "
        "checked; the card may have been charged, so do not pay again — confirm later." + WRITE_NOTE,
        request=FundConfirmInputSerializer,
        responses={
            200: FundConfirmedSerializer,
            **errors(
                400,
                403,
                404,
                s402="`card_declined` (the message is the card's reason), `payment_incomplete`",
                s403="`not_job_owner`, `not_a_member`, `role_forbids`",
                s404=MILESTONE_404 + ", `unknown_payment`",
                s409="`payment_canceled`",
                s503="`processor_unavailable`: the payment could not be checked (the card may have been "
                "charged: confirm again later, do not pay again)",
            ),
        },
    )
    def post(self, request, pk: int, mid: int):
        milestone = self.milestone_to_act_on(pk, mid, "fund")
        payment_intent = self.parsed(FundConfirmInputSerializer)["payment_intent"]
        with processor_call():
            charge = services.milestone_fund_confirm(
                acting_user=request.user, milestone=milestone, payment_intent_id=payment_intent
            )
        require_paid(charge)
        milestone = self.milestone(pk, mid)
        context = self.milestone_context(milestone.contract)
        outcome, message = funding_outcome(milestone)
        return Response(
            {
                "status": outcome,
                "message": message,
                "milestone": MilestoneDetailSerializer(milestone, context=context).data,
            }
        )


class ContractLedgerView(ContractsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["money"],
        summary="A contract's ledger",
        description="Every movement of the contract's escrow money, oldest first, paginated: funding, "
        "releases, refunds and what went out through the processor, each a balanced set of signed "
        "entries (credit +, debit -) on the accounts of docs/escrow.md; the processor's fee on a charge is "
        "the platform's own cost and is not listed here. Seen by both parties, the client "
        "side (any role) and staff; 404 for everyone else." + KEY_NOTE,
        responses={200: LedgerTransactionSerializer(many=True), **errors(403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        contract = self.contract(pk)
        milestones = {m.hold_id: m for m in contract.milestones.all() if m.hold_id}
        ledger = escrow_selectors.ledger_of_holds(milestones.keys(), platform_costs=False)
        return self.paginated(ledger, LedgerTransactionSerializer, milestones=milestones)


class MyEarningsView(ContractsApiView):
    @extend_schema(
        tags=["money"],
        summary="Your earnings",
        description="As a freelancer, per currency: held in escrow for you, released but not yet paid "
        "out (`pending`: waiting for your payout account, or being sent), and paid out; with the holds "
        "behind the figures, each traced to its milestone and contract, and its payouts." + SESSION_NOTE,
        responses={
            200: MyEarningsSerializer,
            **errors(403),
        },
    )
    def get(self, request):
        per_currency = escrow_selectors.earnings_of(request.user)
        holds = [hold.pk for earnings in per_currency for hold in earnings.holds]
        context = {"milestones": selectors.milestones_by_hold(holds)}
        return Response(MyEarningsSerializer({"currencies": per_currency}, context=context).data)


class MyReceiptsView(ContractsApiView):
    @extend_schema(
        tags=["money"],
        summary="Your receipts",
        description="Newest first, paginated: the payments you made (charges: amount + client fee), the "
        "refunds returned to your card, and the payouts you received — each with its milestone and "
        "contract." + SESSION_NOTE,
        responses={200: ReceiptSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        page = self.paginate_queryset(escrow_selectors.receipts_of(request.user))
        payments = escrow_selectors.receipts_load(request.user, page)
        holds = [(p.hold if p.receipt_kind == "charge" else p.settlement.hold).pk for p in payments]
        context = {"milestones": selectors.milestones_by_hold(holds)}
        return self.get_paginated_response(ReceiptSerializer(payments, many=True, context=context).data)
