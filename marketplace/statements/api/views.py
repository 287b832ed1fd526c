"""The statements API: the caller's statement, an organisation's (owners and finance members:
``view_statements``; the organisation's own API key), and the caller's yearly earnings (the data
export for tax tools). Read-only; bad dates are 400 with a code (``marketplace.statements.ranges``)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from marketplace.core.exceptions import NotFound
from marketplace.core.rest.authentication import is_api_key_request
from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView
from marketplace.organisations.api.views.base import organisation_to_read
from marketplace.organisations.permissions import require_org_permission

from .. import exports, selectors
from ..ranges import MAX_DAYS, parse_range, zone_of
from .serializers import StatementSerializer, YearlyEarningsSerializer

RANGE_PARAMETERS = [
    OpenApiParameter(
        "from", str, description="First day (YYYY-MM-DD, included); default: the 1st of this month."
    ),
    OpenApiParameter("to", str, description="Last day (YYYY-MM-DD, included); default: today."),
]
RANGE_400 = f"`date_invalid`, `range_reversed` (from after to), `range_too_long` (over {MAX_DAYS} days)"
ABOUT = (
    "Every card payment, client fee, release, refund, freelancer fee and payout, read from the ledger, "
    "with the opening balance, a running balance per line and the closing balance of each section "
    "(client: held in escrow for the caller's work; freelancer: released, not yet paid out)."
)


def _period(request, zone: str):
    from zoneinfo import ZoneInfo

    today = timezone.localdate(timezone=ZoneInfo(zone))
    return parse_range(
        request.query_params.get("from"), request.query_params.get("to"), zone=zone, today=today
    )


class MyStatementView(ApiView):
    @extend_schema(
        tags=["money"],
        summary="Your statement",
        description=ABOUT + " Dates are in your time zone." + SESSION_ONLY_NOTE,
        parameters=RANGE_PARAMETERS,
        responses={200: StatementSerializer, **errors(400, 403, s400=RANGE_400)},
    )
    def get(self, request):
        period = _period(request, zone_of(request.user))
        statement = selectors.statement_of_user(request.user, period)
        return Response(StatementSerializer(exports.statement_data(statement)).data)


class OrganisationStatementView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["money"],
        summary="An organisation's statement",
        description=ABOUT + " For the organisation's contracts, whoever paid. Owners and finance "
        "members (`view_statements`), and the organisation's API key; dates in the caller's time zone "
        "(UTC for a key).",
        parameters=RANGE_PARAMETERS,
        responses={
            200: StatementSerializer,
            **errors(400, 403, 404, s400=RANGE_400, s403="`role_forbids`, `not_a_member` (staff)"),
        },
    )
    def get(self, request, slug: str):
        organisation, _membership = organisation_to_read(request, slug)
        if not is_api_key_request(request):
            require_org_permission(request.user, organisation, "view_statements")
        zone = "UTC" if is_api_key_request(request) else zone_of(request.user)
        statement = selectors.statement_of_organisation(organisation, _period(request, zone))
        return Response(StatementSerializer(exports.statement_data(statement)).data)


class MyEarningsYearView(ApiView):
    @extend_schema(
        tags=["money"],
        summary="Your yearly earnings statement",
        description="Released and paid out to you in a calendar year (UTC), by payment rail (today every "
        "payment is settled by Stripe Connect: `processor`), with the 2026 US thresholds (1099-NEC, "
        "1099-K) checked by amount and count. Informational; no filing. The data export for tax tools."
        + SESSION_ONLY_NOTE,
        responses={200: YearlyEarningsSerializer, **errors(403, 404, s404="`year_not_found`")},
    )
    def get(self, request, year: int):
        if not 2000 <= year <= timezone.now().year:
            raise NotFound("No earnings statement for that year.", code="year_not_found")
        earnings = selectors.yearly_earnings(request.user, year)
        return Response(YearlyEarningsSerializer(exports.earnings_data(earnings)).data)
