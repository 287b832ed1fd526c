"""Reads of conversations and their messages, always from a participant's side.

Every read asks for the viewer's active ``Participant`` row; anyone else gets 404
``conversation_not_found``, exactly as for an id that does not exist. The inbox reads one row per
conversation: the last message (with its sender), the viewer's own unread count and read position
(from the same participant join that filters the list), and the active participants with their
names (one prefetch), whatever the number of conversations.
"""

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Sum, Value, When

from marketplace.core.exceptions import NotFound

from ..models import Conversation, Message, Participant
from ..payloads import with_payload_rows

PAGE_MAX = 100


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _not_found() -> NotFound:
    return NotFound("No such conversation.", code="conversation_not_found")


def _active_rows():
    return Participant.objects.filter(removed_at__isnull=True).select_related("user").order_by("pk")


def conversations_of(user, *, unread_first: bool = False) -> QuerySet[Conversation]:
    """The user's conversations (active participant), latest activity first; ``unread_first`` puts
    those with unread messages first. Each row carries ``viewer_unread``, ``viewer_last_read``,
    ``last_message`` (with its sender) and ``active_participants`` (with their users)."""
    if not _signed_in(user):
        return Conversation.objects.none()
    rows = (
        Conversation.objects.filter(participants__user=user, participants__removed_at__isnull=True)
        .annotate(
            viewer_unread=F("participants__unread"),
            viewer_last_read=F("participants__last_read_message_id"),
        )
        .select_related("last_message__sender")
        .prefetch_related(Prefetch("participants", queryset=_active_rows(), to_attr="active_participants"))
    )
    order = ["-last_activity_at", "-id"]
    if unread_first:
        has_unread = Case(
            When(viewer_unread__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return rows.order_by(has_unread, *order)
    return rows.order_by(*order)


def conversation_for_viewer(user, conversation_id: int) -> Conversation:
    """One of the user's conversations, with what the inbox row has; else 404."""
    if not _signed_in(user):
        raise _not_found()
    conversation = conversations_of(user).filter(pk=conversation_id).first()
    if conversation is None:
        raise _not_found()
    return conversation


def _require_participant(user, conversation: Conversation) -> None:
    if not (
        _signed_in(user)
        and Participant.objects.filter(
            conversation_id=conversation.pk, user=user, removed_at__isnull=True
        ).exists()
    ):
        raise _not_found()


def messages_page(
    user,
    conversation: Conversation,
    *,
    before_id: int | None = None,
    limit: int = 30,
    query: str | None = None,
) -> list[Message]:
    """A page of the conversation's messages, newest first, older than ``before_id`` (keyset: the
    index on (conversation, -id), no OFFSET). With ``query``, only the messages whose text contains it
    (deleted and hidden ones never match). Participation is asked again here."""
    _require_participant(user, conversation)
    messages = Message.objects.filter(conversation_id=conversation.pk)
    if before_id is not None:
        messages = messages.filter(pk__lt=before_id)
    if query:
        messages = messages.filter(body__icontains=query, deleted_at__isnull=True, hidden_at__isnull=True)
    limit = max(1, min(limit, PAGE_MAX))
    return list(with_payload_rows(messages).order_by("-pk")[:limit])


def unread_total(user) -> int:
    """The user's unread messages across their conversations (the navigation's count)."""
    if not _signed_in(user):
        return 0
    total = Participant.objects.filter(user=user, removed_at__isnull=True).aggregate(n=Sum("unread"))["n"]
    return total or 0


def unread_totals(user_ids) -> dict[int, int]:
    """``unread_total`` for many users in one query (the pushes of a new message)."""
    rows = (
        Participant.objects.filter(user_id__in=list(user_ids), removed_at__isnull=True)
        .values("user_id")
        .annotate(n=Sum("unread"))
        .values_list("user_id", "n")
    )
    return {user_id: n or 0 for user_id, n in rows}


def conversation_of_subject(user, *, proposal=None, contract=None) -> Conversation | None:
    """The conversation of a proposal or contract, if it is open and the user takes part in it (for
    pages that show it in place); None otherwise."""
    if (proposal is None) == (contract is None):
        raise ValueError("Give exactly one of proposal or contract.")
    subject = {"proposal_id": proposal.pk} if proposal is not None else {"contract_id": contract.pk}
    return conversations_of(user).filter(**subject).first()


def dispute_conversation_for(viewer, dispute) -> Conversation | None:
    """A dispute's conversation if the viewer takes part in it (a party's side or support staff), with
    what the inbox row has (for the dispute pages' panel); None otherwise or before it opens."""
    return conversations_of(viewer).filter(dispute_id=dispute.pk).first()


def shared_work_side(user_id: int, other_id: int) -> str | None:
    """``other``'s side in a proposal or contract conversation where both are active on opposite
    sides (client and freelancer), or None: who may open a direct conversation with whom."""
    mine_opposite = Participant.objects.filter(
        conversation=OuterRef("conversation"), user_id=user_id, removed_at__isnull=True
    ).exclude(side=OuterRef("side"))
    return (
        Participant.objects.filter(
            Exists(mine_opposite),
            user_id=other_id,
            removed_at__isnull=True,
            side__in=[Participant.Side.CLIENT, Participant.Side.FREELANCER],
            conversation__kind__in=[Conversation.Kind.PROPOSAL, Conversation.Kind.CONTRACT],
        )
        .values_list("side", flat=True)
        .first()
    )
