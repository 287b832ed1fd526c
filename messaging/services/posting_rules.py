"""What moderation asks of a post: the off-platform contact check before a contract, and blocks.

- Contact check: a message in a proposal's conversation while the proposal is not hired, or in a
  direct conversation between two people who share no contract, gets ``contact_flags`` (what
  ``contact_check.contact_findings`` found). It is still delivered: the sender's own copy carries
  the warning (``contact_warning``) and staff see it in the moderation queue. Once a contract
  exists the parties may exchange whatever the work needs, so nothing is checked there, nor in a
  dispute's conversation (support staff are in it).
- Blocks: a block either way between the sender and someone on the other side of a proposal or
  direct conversation refuses the post (403 ``blocked``), and refuses opening a direct
  conversation. A contract's conversation stays open to both, block or not: the work, the money
  held for it and any dispute need the parties to talk, and staff can read it if it turns ugly.
"""

from django.db.models import Q

from marketplace.contracts.models import Contract
from marketplace.core.exceptions import PermissionDenied
from marketplace.jobs.models import Proposal

from ..contact_check import contact_findings
from ..models import Conversation, FlagReview, Message, Participant
from ..selectors.moderation import blocked_between

Kind = Conversation.Kind
BLOCKABLE = (Kind.PROPOSAL, Kind.DIRECT)


def _pair(conversation: Conversation) -> tuple[int, int]:
    low, high = conversation.direct_pair.split(":")
    return int(low), int(high)


def contract_between(a_id: int, b_id: int) -> bool:
    """Whether one of the two is the freelancer of a contract whose client side the other is on."""
    return any(
        Contract.objects.filter(
            Q(client_id=other) | Q(organisation__memberships__user_id=other), freelancer_id=freelancer
        ).exists()
        for freelancer, other in ((a_id, b_id), (b_id, a_id))
    )


def before_contract(conversation: Conversation) -> bool:
    if conversation.kind == Kind.PROPOSAL:
        return conversation.proposal.status != Proposal.Status.HIRED
    if conversation.kind == Kind.DIRECT:
        return not contract_between(*_pair(conversation))
    return False


def contact_flags_for(conversation: Conversation, body: str) -> list[str]:
    """The flags a message with ``body`` gets in ``conversation`` (none once a contract exists)."""
    return contact_findings(body) if body and before_contract(conversation) else []


def contact_flags_after_edit(message: Message, conversation: Conversation) -> list[str]:
    """An edited message is checked again; new kinds of contact put a cleared one back in the queue."""
    flags = contact_flags_for(conversation, message.body)
    if set(flags) - set(message.contact_flags):
        FlagReview.objects.filter(message=message, outcome=FlagReview.Outcome.CLEARED).delete()
    return flags


def require_not_blocked(conversation: Conversation, sender_id: int) -> None:
    """403 ``blocked`` when the sender and someone on another side of a proposal or direct
    conversation have blocked each other (either way)."""
    if conversation.kind not in BLOCKABLE:
        return
    own_side = Participant.objects.filter(conversation=conversation, user_id=sender_id).values("side")
    others = Participant.objects.filter(conversation=conversation, removed_at__isnull=True).exclude(
        side__in=own_side
    )
    if blocked_between(sender_id, list(others.values_list("user_id", flat=True))):
        raise blocked_error()


def require_pair_not_blocked(user_id: int, other_id: int) -> None:
    if blocked_between(user_id, [other_id]):
        raise blocked_error()


def blocked_error() -> PermissionDenied:
    return PermissionDenied(
        "One of you has blocked the other, so messages cannot be sent here. "
        "A contract's conversation stays open for the work.",
        code="blocked",
    )
