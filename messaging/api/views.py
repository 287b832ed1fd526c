"""Notifications over the API: your own only, with a logged-in session (API keys act for an
organisation, which has no notifications)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from .. import selectors, services
from .serializers import MarkedSerializer, NotificationSerializer, UnreadCountSerializer

TAGS = ["notifications"]


class NotificationListView(ApiView):
    @extend_schema(
        tags=TAGS,
        summary="Your notifications",
        description="Newest first, paginated. `?unread=1` lists only the unread ones." + SESSION_ONLY_NOTE,
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications."),
        ],
        responses={200: NotificationSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        unread_only = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return self.paginated(
            selectors.notifications_for(request.user, unread_only=unread_only), NotificationSerializer
        )


class NotificationReadView(ApiView):
    @extend_schema(
        tags=TAGS,
        summary="Mark a notification read",
        description="Marking one already read changes nothing. Someone else's notification answers 404."
        + SESSION_ONLY_NOTE,
        request=None,
        responses={
            200: NotificationSerializer,
            **errors(403, s404="`notification_not_found` (not yours, or no such id)"),
        },
    )
    def post(self, request, pk: int):
        notification = services.notifications_mark_read(acting_user=request.user, notification_id=pk)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(ApiView):
    @extend_schema(
        tags=TAGS,
        summary="Mark all your notifications read",
        description="Your open pages' bells go to zero at once." + SESSION_ONLY_NOTE,
        request=None,
        responses={200: MarkedSerializer, **errors(403)},
    )
    def post(self, request):
        marked = services.notifications_mark_all_read(acting_user=request.user)
        return Response({"marked": marked, "unread": selectors.unread_count(request.user)})


class UnreadCountView(ApiView):
    @extend_schema(
        tags=TAGS,
        summary="How many notifications you have not read",
        description="What the bell shows." + SESSION_ONLY_NOTE,
        responses={200: UnreadCountSerializer, **errors(403)},
    )
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})
