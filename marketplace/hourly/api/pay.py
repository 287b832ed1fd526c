"""REST: paying an hourly week whose off-session charge failed, as the milestone funding API does:
``pay/`` answers the PaymentIntent (the one the failed charge left open) to confirm with Stripe.js
or the mobile SDKs, ``pay/confirm/`` records it (the week goes to review, the contract resumes)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from marketplace.contracts.api.base import ContractsApiView
from marketplace.contracts.api.serializers.money import FundConfirmInputSerializer, FundStartSerializer
from marketplace.contracts.api.views.money import PROCESSOR_503, payment_started, processor_call, require_paid
from marketplace.contracts.permissions import require_contract_client
from marketplace.core.exceptions import NotFound
from marketplace.core.rest.schema import errors
from marketplace.jobs.api.base import WRITE_NOTE

from ..models import Timesheet
from ..services import billing

TIMESHEET_404 = "`timesheet_not_found`: no such week, or not one of your contracts'"
FORBIDDEN = "`not_job_owner`, `not_a_member`, `role_forbids` (paying needs `fund_work`)"


class WeekPaidSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["in_review"], help_text="The week's money is in escrow.")
    review_by = serializers.DateTimeField(help_text="The client reviews (approves or disputes) until then.")
    message = serializers.CharField()


class TimesheetPayApiView(ContractsApiView):
    def week_to_pay(self, pk: int) -> Timesheet:
        """The week (404 unless the caller sees its contract), once the caller may pay for the client
        side (403): both before the body is read."""
        week = Timesheet.objects.select_related("hold").filter(pk=pk).first()
        if week is None:
            raise NotFound("No such week.", code="timesheet_not_found")
        try:
            week.contract = self.contract(week.contract_id)
        except NotFound as exc:
            raise NotFound("No such week.", code="timesheet_not_found") from exc
        require_contract_client(self.request.user, week.contract, billing.PAY_PERMISSION)
        return week


class TimesheetPayView(TimesheetPayApiView):
    @extend_schema(
        tags=["hourly"],
        summary="Start paying a week whose charge failed",
        description="When a week's off-session charge of the saved card failed (`payment_failed`: "
        "declined, the card needs its owner's authentication, or no card saved) the contract is paused. "
        "The client side (`fund_work`) gets the PaymentIntent for the week's total (minutes times rate "
        "plus the client fee) to confirm with the card: Stripe.js `confirmCardPayment(client_secret, …)` "
        "or Stripe's mobile SDKs. Then call `pay/confirm/`. 409 `not_payment_failed`." + WRITE_NOTE,
        request=None,
        responses={
            201: FundStartSerializer,
            **errors(403, 404, s403=FORBIDDEN, s404=TIMESHEET_404, s409="`not_payment_failed`"),
            **PROCESSOR_503,
        },
    )
    def post(self, request, pk: int):
        week = self.week_to_pay(pk)
        with processor_call():
            charge = billing.timesheet_pay_start(acting_user=request.user, timesheet=week)
        return payment_started(charge)


class TimesheetPayConfirmView(TimesheetPayApiView):
    @extend_schema(
        tags=["hourly"],
        summary="Confirm a week's payment",
        description="After the card step the server reads the PaymentIntent from the processor. Paid: "
        "200, the week is `in_review` and the contract resumes. Not paid: 402 `card_declined` with the "
        "card's reason, or `payment_incomplete`. 404 `unknown_payment` for a PaymentIntent not of this "
        "week; 503 `processor_unavailable`: could not be checked (do not pay again)." + WRITE_NOTE,
        request=FundConfirmInputSerializer,
        responses={
            200: WeekPaidSerializer,
            **errors(
                400,
                403,
                404,
                s402="`card_declined`, `payment_incomplete`",
                s403=FORBIDDEN,
                s404=TIMESHEET_404 + ", `unknown_payment`",
                s409="`payment_canceled`",
            ),
            **PROCESSOR_503,
        },
    )
    def post(self, request, pk: int):
        week = self.week_to_pay(pk)
        payment_intent = self.parsed(FundConfirmInputSerializer)["payment_intent"]
        with processor_call():
            charge = billing.timesheet_pay_confirm(
                acting_user=request.user, timesheet=week, payment_intent_id=payment_intent
            )
        require_paid(charge)
        week.refresh_from_db()
        data = {
            "status": week.status,
            "review_by": week.review_by,
            "message": "Paid: the week is in escrow for your review, and the contract resumes.",
        }
        return Response(WeekPaidSerializer(data).data)
