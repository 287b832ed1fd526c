"""Conversations and messages over the API: your own only, with a logged-in session (messaging is
personal; an organisation's API key is refused with 403 ``api_key_not_allowed``).

Every conversation in a URL is looked up among yours first (404 ``conversation_not_found`` for
anyone else's, as for an id that does not exist), before a request body is read.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from marketplace.core.exceptions import InvalidInput
from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ..selectors import conversations as selectors
from ..services import conversations as conversation_services
from ..services import messages as message_services
from .serializers import (
    ConversationSerializer,
    DirectConversationSerializer,
    MarkReadSerializer,
    MessageEditSerializer,
    MessagePageSerializer,
    MessagePostSerializer,
    MessageSerializer,
    ReadReceiptSerializer,
    UnreadCountSerializer,
)

CONVERSATIONS = ["conversations"]
MESSAGES = ["messages"]
NOT_YOURS = "`conversation_not_found` (not yours, or no such id)"
MESSAGE_NOT_YOURS = "`message_not_found` (not in a conversation of yours, or no such id)"
PAGE_SIZE = 30
POST_INVALID = "`message_too_long`, `empty_message`, `too_many_attachments`, `empty_file`, `corrupt_image`"


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(
            f"`{name}` must be a whole number.", code="invalid", fields={name: ["A whole number."]}
        ) from None


class ConversationListView(ApiView):
    @extend_schema(
        tags=CONVERSATIONS,
        summary="Your conversations",
        description="Latest activity first, paginated; `?unread=1` puts those with unread messages first. "
        "Each has your unread count and read receipt, the other participants (with theirs) and a preview "
        "of the last message." + SESSION_ONLY_NOTE,
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="Conversations with unread messages first."
            )
        ],
        responses={200: ConversationSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        unread_first = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return self.paginated(
            selectors.conversations_of(request.user, unread_first=unread_first), ConversationSerializer
        )


class ConversationDetailView(ApiView):
    @extend_schema(
        tags=CONVERSATIONS,
        summary="A conversation",
        description="One of yours." + SESSION_ONLY_NOTE,
        responses={200: ConversationSerializer, **errors(403, s404=NOT_YOURS)},
    )
    def get(self, request, pk: int):
        conversation = selectors.conversation_for_viewer(request.user, pk)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class DirectConversationView(ApiView):
    @extend_schema(
        tags=CONVERSATIONS,
        summary="Open a direct conversation",
        description="With someone you share a proposal or a contract with, as client side and freelancer; "
        "the same conversation again if it is already open." + SESSION_ONLY_NOTE,
        request=DirectConversationSerializer,
        responses={
            200: ConversationSerializer,
            **errors(
                400,
                403,
                s403="`no_shared_work` (no proposal or contract between you)",
                s404="`user_not_found`",
            ),
        },
    )
    def post(self, request):
        other = self.parsed(DirectConversationSerializer)["user"]
        opened = conversation_services.conversation_direct(acting_user=request.user, other_user_id=other)
        conversation = selectors.conversation_for_viewer(request.user, opened.pk)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class MessageListView(ApiView):
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        tags=MESSAGES,
        summary="A conversation's messages",
        description=f"Newest first, {PAGE_SIZE} at a time; `?before=<id>` pages back (pass the answer's "
        "`next_before`). `?q=` finds the messages whose text contains it (deleted and hidden ones never "
        "match). Deleted messages show as deleted, hidden ones as hidden by staff." + SESSION_ONLY_NOTE,
        parameters=[
            OpenApiParameter("before", OpenApiTypes.INT, description="Only messages older than this id."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Text to search for (any case)."),
        ],
        responses={200: MessagePageSerializer, **errors(400, 403, s404=NOT_YOURS)},
    )
    def get(self, request, pk: int):
        conversation = selectors.conversation_for_viewer(request.user, pk)
        page = selectors.messages_page(
            request.user,
            conversation,
            before_id=_int_param(request, "before"),
            limit=PAGE_SIZE,
            query=request.query_params.get("q", "").strip() or None,
        )
        return Response(
            {
                "results": MessageSerializer(page, many=True, context={"request": request}).data,
                "next_before": page[-1].pk if len(page) == PAGE_SIZE else None,
            }
        )

    @extend_schema(
        tags=MESSAGES,
        summary="Post a message",
        description="`multipart/form-data` with `body` (Markdown) and up to ATTACHMENTS_MAX_COUNT `files` "
        "(PDF, images, text, Office documents; images get a preview), or JSON with `body`. Every open page "
        "of the participants gets it live (`message.new`). Anything refused stores nothing."
        + SESSION_ONLY_NOTE,
        request={"multipart/form-data": MessagePostSerializer, "application/json": MessagePostSerializer},
        responses={
            201: MessageSerializer,
            **errors(
                400,
                403,
                s400=POST_INVALID,
                s404=NOT_YOURS,
                s429="`message_rate_limited` (MESSAGES_PER_MINUTE a minute)",
            ),
            **errors(s413="`file_too_large`, `image_too_many_pixels`", s415="`unsupported_attachment_type`"),
        },
    )
    def post(self, request, pk: int):
        conversation = selectors.conversation_for_viewer(request.user, pk)
        body = self.parsed(MessagePostSerializer).get("body", "")
        message = message_services.message_post(
            acting_user=request.user,
            conversation_id=conversation.pk,
            body=body,
            files=request.FILES.getlist("files"),
        )
        return Response(
            MessageSerializer(message, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


WINDOW_ERRORS = "`edit_window_closed` (15 minutes after sending), `message_deleted`, `message_hidden`"


class MessageDetailView(ApiView):
    @extend_schema(
        tags=MESSAGES,
        summary="Edit your message",
        description="Its sender only, within 15 minutes of sending; the others see it change live "
        "(`message.edited`)." + SESSION_ONLY_NOTE,
        request=MessageEditSerializer,
        responses={
            200: MessageSerializer,
            **errors(
                400,
                403,
                s400="`message_too_long`, `empty_message`",
                s403="`not_the_sender`",
                s404=MESSAGE_NOT_YOURS,
                s409=WINDOW_ERRORS,
            ),
        },
    )
    def patch(self, request, pk: int):
        body = self.parsed(MessageEditSerializer).get("body")
        message = message_services.message_edit(acting_user=request.user, message_id=pk, body=body)
        return Response(MessageSerializer(message, context={"request": request}).data)

    @extend_schema(
        tags=MESSAGES,
        summary="Delete your message",
        description="Its sender only, within 15 minutes of sending: the message stays in the history as "
        "deleted, its text and files are gone (`message.deleted` live)." + SESSION_ONLY_NOTE,
        request=None,
        responses={
            200: MessageSerializer,
            **errors(403, s403="`not_the_sender`", s404=MESSAGE_NOT_YOURS, s409=WINDOW_ERRORS),
        },
    )
    def delete(self, request, pk: int):
        message = message_services.message_delete(acting_user=request.user, message_id=pk)
        return Response(MessageSerializer(message, context={"request": request}).data)


class ConversationReadView(ApiView):
    @extend_schema(
        tags=CONVERSATIONS,
        summary="Mark a conversation read",
        description="Your read receipt moves to `up_to` (default: the newest message), never backwards; the "
        "others see it live (`conversation.read`)." + SESSION_ONLY_NOTE,
        request=MarkReadSerializer,
        responses={
            200: ReadReceiptSerializer,
            **errors(400, 403, s404=f"{NOT_YOURS}; `message_not_found` (`up_to` is not in it)"),
        },
    )
    def post(self, request, pk: int):
        conversation = selectors.conversation_for_viewer(request.user, pk)
        up_to = self.parsed(MarkReadSerializer).get("up_to")
        row = message_services.conversation_mark_read(
            acting_user=request.user, conversation_id=conversation.pk, up_to_message_id=up_to
        )
        return Response(
            {
                "conversation": conversation.pk,
                "last_read_message_id": row.last_read_message_id,
                "unread": row.unread,
                "unread_total": selectors.unread_total(request.user),
            }
        )


class MessageUnreadCountView(ApiView):
    @extend_schema(
        tags=MESSAGES,
        summary="How many messages you have not read",
        description="Across all your conversations: what the navigation shows." + SESSION_ONLY_NOTE,
        responses={200: UnreadCountSerializer, **errors(403)},
    )
    def get(self, request):
        return Response({"unread": selectors.unread_total(request.user)})
