"""Staff's moderation of reported reviews: the queue, removing a review (it stops showing and
counting anywhere; audited; every open report of it resolved) and dismissing a report (the review
stays)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.response import Response

from marketplace.core.rest.schema import errors

from ... import selectors, services
from ...models import ReviewReport
from .. import serializers as h
from ..base import STAFF_NOTE, StaffApiView

STAFF_403 = "`not_staff`"
REPORT_404 = "`not_found` (no such report)"


# What a queue row shows beyond ``selectors.review_reports_queue``'s joins.
ROW_EXTRAS = ("review__organisation", "resolved_by")


def _row(pk: int) -> dict:
    """The report as the queue shows it, as it is now."""
    report = ReviewReport.objects.select_related(
        "review__author", "review__reviewee", "reporter", *ROW_EXTRAS
    ).get(pk=pk)
    return h.ReviewReportRowSerializer(report).data


class QueueView(StaffApiView):
    @extend_schema(
        tags=["review moderation"],
        summary="Reported reviews",
        description="Reports of published reviews, oldest first, paginated: each with the review as "
        "the public reads it (never the author's private note), who reported it and why. `status` "
        "chooses the state (`open`, waiting for staff, by default)." + STAFF_NOTE,
        parameters=[OpenApiParameter("status", enum=ReviewReport.Status.values, required=False)],
        responses={200: h.ReviewReportRowSerializer(many=True), **errors(400, 403, s403=STAFF_403)},
    )
    def get(self, request):
        filters = h.ReviewReportFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queue = selectors.review_reports_queue(filters.validated_data["status"])
        return self.paginated(queue.select_related(*ROW_EXTRAS), h.ReviewReportRowSerializer)


class RemoveView(StaffApiView):
    @extend_schema(
        tags=["review moderation"],
        summary="Remove the reported review",
        description="The review stops showing and counting anywhere (profiles, scores, search); its "
        "author and the reviewee are told why. Audited. Every open report of the review is resolved as "
        "`removed`. 400 `invalid_input` (the reason: 5 to 2,000 characters); 409 `report_resolved`, "
        "`review_not_published` (removed already)." + STAFF_NOTE,
        request=h.RemoveInputSerializer,
        examples=[
            OpenApiExample("A removal", value={"reason": "It shares a phone number."}, request_only=True)
        ],
        responses={
            200: h.ReviewReportRowSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_input`",
                s403=STAFF_403,
                s404=REPORT_404,
                s409="`report_resolved`, `review_not_published`",
            ),
        },
    )
    def post(self, request, pk: int):
        report = self.report(pk)
        reason = self.parsed(h.RemoveInputSerializer)["reason"]
        services.review_remove(acting_user=request.user, review=report.review, reason=reason)
        return Response(_row(pk))


class DismissView(StaffApiView):
    @extend_schema(
        tags=["review moderation"],
        summary="Dismiss a report",
        description="The review stays as it is; the report is closed as `dismissed`, with an optional "
        "note (at most 2,000 characters: 400 `invalid_input`). Audited. 409 `report_resolved`." + STAFF_NOTE,
        request=h.DismissInputSerializer,
        responses={
            200: h.ReviewReportRowSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_input`",
                s403=STAFF_403,
                s404=REPORT_404,
                s409="`report_resolved`",
            ),
        },
    )
    def post(self, request, pk: int):
        report = self.report(pk)
        note = self.parsed(h.DismissInputSerializer)["note"]
        services.report_dismiss(acting_user=request.user, report=report, note=note)
        return Response(_row(pk))
