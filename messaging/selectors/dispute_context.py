"""Support staff's read of a disputed contract's own conversations (the proposal's and the
contract's): they are no participants there, yet deciding a dispute needs "the whole conversation"
(PRODUCT.md, Disputes). Read-only and for support staff on a case they may see; anyone else gets
nothing. Writing to both parties goes through the dispute's own conversation."""

from django.db.models import Q

from marketplace.disputes.models import Dispute
from marketplace.disputes.selectors import is_support

from ..models import Conversation, Message

RECENT = 50


def contract_conversations_for_support(viewer, dispute: Dispute) -> list[dict]:
    """Each of the contract's conversations with its newest ``RECENT`` messages (oldest first; a
    deleted or hidden message keeps its place without its text) and whether older ones exist."""
    if not is_support(viewer):
        return []
    contract = dispute.contract
    subject = Q(contract_id=contract.pk)
    proposal_id = getattr(contract.offer, "proposal_id", None)
    if proposal_id:
        subject |= Q(proposal_id=proposal_id)
    rows = []
    for conversation in Conversation.objects.filter(subject).order_by("pk"):  # at most two
        newest = list(
            Message.objects.filter(conversation=conversation)
            .select_related("sender")
            .prefetch_related("attachments")
            .order_by("-id")[: RECENT + 1]
        )
        rows.append(
            {"conversation": conversation, "messages": newest[:RECENT][::-1], "older": len(newest) > RECENT}
        )
    return rows
