"""The client's review of a billed week over the API: approve it early. (Disputing a week is the
disputes API's ``POST /api/disputes/`` with a ``timesheet`` and its ``entries``.)"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from marketplace.contracts.api.base import ContractsApiView
from marketplace.core.rest.schema import errors
from marketplace.jobs.api.base import WRITE_NOTE
from marketplace.jobs.api.serializers.refs import MINOR

from .. import selectors
from ..models import Timesheet
from ..services.review import require_week_approver, timesheet_approve

TIMESHEET_404 = "`timesheet_not_found` (not a week of a contract you see, or no such id)"


class TimesheetReviewSerializer(serializers.ModelSerializer):
    """A week's money and review: what approving it changed."""

    id = serializers.IntegerField(read_only=True)
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount_minor = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Minutes times the rate, fixed at billing. " + MINOR
    )
    review_by = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="The end of the client's review (Friday 23:59:59 UTC); an undisputed week is paid "
        "after it.",
    )
    approved_by = serializers.IntegerField(
        source="approved_by_id", read_only=True, allow_null=True, help_text="Null: approved automatically."
    )

    class Meta:
        model = Timesheet
        fields = [
            "id",
            "contract",
            "week_start",
            "status",
            "status_label",
            "minutes",
            "rate_minor",
            "amount_minor",
            "currency",
            "review_by",
            "approved_at",
            "approved_by",
            "released_at",
        ]
        read_only_fields = fields


class TimesheetApproveView(ContractsApiView):
    @extend_schema(
        tags=["hourly"],
        summary="Approve a week",
        description="The client side (needs `approve_payments` for an organisation's contract) approves a "
        "week in review before its deadline, which releases its money to the freelancer at once, less the "
        "freelancer fee: `released` once paid out, `approved` while the payout waits for the freelancer's "
        "payout account. Undisputed weeks are approved automatically after `review_by`. No body. 403 "
        "`not_client_side` (the freelancer), `role_forbids`, `not_a_member` (staff), `account_suspended`; "
        "409 `illegal_transition` (not in review: approved, disputed, paid…), `dispute_open`." + WRITE_NOTE,
        request=None,
        responses={
            200: TimesheetReviewSerializer,
            **errors(
                403,
                404,
                s403="`not_client_side`, `role_forbids`, `not_a_member`, `account_suspended`",
                s404=TIMESHEET_404,
                s409="`illegal_transition`, `dispute_open`",
            ),
        },
    )
    def post(self, request, pk: int):
        timesheet = selectors.timesheet_for_viewer(pk=pk, viewer=request.user)
        require_week_approver(request.user, timesheet)
        approved = timesheet_approve(acting_user=request.user, timesheet=timesheet)
        return Response(TimesheetReviewSerializer(approved).data)
