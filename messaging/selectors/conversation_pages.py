"""Reads for the pages that show conversations (the inbox, the conversation panel, the links on the
proposal cards), from what ``conversations.py`` already loaded with its participation check (a
conversation's ``active_participants``), plus the proposal cards' links in one query."""

from dataclasses import dataclass, field

from ..models import Conversation, Participant


@dataclass
class PanelFacts:
    """Who else is in a conversation and what they have read, as the viewer's panel shows it."""

    me: Participant | None
    others: list = field(default_factory=list)  # the other active participants' users
    # The newest message id every other participant has read: the viewer's messages up to it are "Seen".
    seen_up_to: int = 0


def panel_facts(user, conversation: Conversation) -> PanelFacts:
    """From a conversation read through ``conversation_for_viewer`` or ``conversation_of_subject``
    (which checked that the viewer takes part, and loaded its active participants): no query."""
    rows = conversation.active_participants
    me = next((row for row in rows if row.user_id == user.pk), None)
    others = [row for row in rows if row.user_id != user.pk]
    # "Seen" once the other side has read it: the furthest read among the others (a conversation of
    # an organisation has several people on the client side; one of them reading it is the receipt).
    seen = max((row.last_read_message_id for row in others), default=0)
    return PanelFacts(me=me, others=[row.user for row in others], seen_up_to=seen)


def other_side_names(conversation: Conversation, user) -> list[str]:
    """The names of the people on the other side than the viewer (from ``conversations_of``'s rows)."""
    rows = getattr(conversation, "active_participants", [])
    mine = next((row.side for row in rows if row.user_id == user.pk), None)
    others = [row for row in rows if row.user_id != user.pk]
    other_side = [row for row in others if row.side != mine] or others
    return [row.user.get_full_name() or row.user.email for row in other_side]


def conversation_links(user, *, proposal_ids) -> dict[int, tuple[int, int]]:
    """For the client's proposal cards: proposal id → (conversation id, the viewer's unread count)
    for those of the proposals whose conversation the viewer takes part in. One query."""
    rows = Participant.objects.filter(
        user=user, removed_at__isnull=True, conversation__proposal_id__in=list(proposal_ids)
    ).values_list("conversation__proposal_id", "conversation_id", "unread")
    return {proposal_id: (conversation_id, unread) for proposal_id, conversation_id, unread in rows}
