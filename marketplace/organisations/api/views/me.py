"""One's own talent-pool invitations and memberships (under /api/me/): list, accept, decline."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ... import selectors
from ...services import pools
from .. import serializers as s


class MyPoolMembershipsView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="Your talent-pool invitations and memberships",
        description="The organisations that invited you to their talent pools (status `invited`) and those "
        "whose pools you are in (`active`). Ended and declined ones are not listed." + SESSION_ONLY_NOTE,
        responses={200: s.MyPoolMembershipSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        memberships = selectors.pool_memberships_for_freelancer(request.user)
        return self.paginated(memberships, s.MyPoolMembershipSerializer)


class _MyPoolMembershipAction(ApiView):
    service = None

    def post(self, request, membership_id: int):
        membership = type(self).service(acting_user=request.user, membership_id=membership_id)
        return Response(s.MyPoolMembershipSerializer(membership).data)


_ACTION_ERRORS = errors(
    403,
    404,
    s404="`pool_membership_not_found` (not yours, or no such id)",
    s409="`illegal_transition` (not an open invitation)",
)


class MyPoolMembershipAcceptView(_MyPoolMembershipAction):
    service = staticmethod(pools.pool_membership_accept)

    @extend_schema(
        tags=["pools"],
        summary="Join a talent pool you were invited to",
        description="Once active, your pool-only profile is visible to the organisation's members."
        + SESSION_ONLY_NOTE,
        request=None,
        responses={200: s.MyPoolMembershipSerializer, **_ACTION_ERRORS},
    )
    def post(self, request, membership_id: int):
        return super().post(request, membership_id)


class MyPoolMembershipDeclineView(_MyPoolMembershipAction):
    service = staticmethod(pools.pool_membership_decline)

    @extend_schema(
        tags=["pools"],
        summary="Decline a talent-pool invitation",
        description=SESSION_ONLY_NOTE.strip(),
        request=None,
        responses={200: s.MyPoolMembershipSerializer, **_ACTION_ERRORS},
    )
    def post(self, request, membership_id: int):
        return super().post(request, membership_id)
