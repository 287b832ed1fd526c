"""Opening conversations and keeping their participant rows in step with who may read them.

Who reads a subject's conversation is decided here, from the permission rules of jobs
(``client_side_ids_any``), never re-derived: a proposal's is its freelancer and the job's client
side whose role acts on proposals (``PROPOSAL_ROLES``: sorting them, sending offers); a
contract's is its freelancer and the client side whose role acts on the contract
(``CONTRACT_ROLES``: revisions and cancelling, funding, approving). The poster of a job (the
contract's client) is always on the client side, as everywhere else in the product.

Rows are the truth for access; ``participants_sync`` re-derives the client side of one
conversation and is called when a conversation opens and before each post;
``participants_sync_member`` does the same for one member across an organisation's conversations
when their membership changes (``organisations.events.membership_changed``). A member who loses the
right keeps the row with ``removed_at`` set; one who gains it back gets it back, read position
kept.

A dispute's conversation is read by the same people as its contract's, plus every support user
(``User.is_support``; rows made at open and re-derived by ``participants_sync``, and for a user who
becomes support staff later, or stops being, by ``support_staff_sync`` across every dispute's
conversation at once).

Conversations open when a proposal is submitted, when a contract starts and when a dispute opens
(the receivers in ``messaging.receivers_conversations``); proposals and contracts from before
messaging existed get theirs the first time a page asks (``conversation_for_proposal`` /
``conversation_for_contract`` are get-or-create), or all at once with ``manage.py conversations_open``.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.contracts.models import Contract
from marketplace.core.exceptions import NotFound, PermissionDenied
from marketplace.disputes.models import Dispute
from marketplace.jobs.models import Job, Proposal
from marketplace.jobs.permissions import client_side_ids_any, roles_granting_any
from marketplace.organisations.models import Membership

from ..models import Conversation, Participant
from ..payloads import person_name
from ..selectors.conversations import shared_work_side
from .posting_rules import require_pair_not_blocked

Kind = Conversation.Kind
Side = Participant.Side

# The organisation permissions whose holders act on a proposal, and on a contract.
PROPOSAL_ROLES = ("manage_jobs", "make_offers")
CONTRACT_ROLES = ("manage_jobs", "fund_work", "approve_payments")


def _fit_title(text: str) -> str:
    limit = Conversation._meta.get_field("title").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wanted(conversation: Conversation) -> dict[int, str] | None:
    """User id → side, for a subject's conversation; None for direct pairs (rows kept by hand)."""
    wanted = {}
    if conversation.kind == Kind.DISPUTE:
        support = User.objects.filter(is_support=True, is_active=True).values_list("pk", flat=True)
        wanted = dict.fromkeys(support, Side.SUPPORT)
        contract = conversation.dispute.contract
        client_id, organisation_id, codenames = contract.client_id, contract.organisation_id, CONTRACT_ROLES
        freelancer_id = contract.freelancer_id
    elif conversation.kind == Kind.PROPOSAL:
        proposal = conversation.proposal
        job = proposal.job
        client_id, organisation_id, codenames = job.client_id, job.organisation_id, PROPOSAL_ROLES
        freelancer_id = proposal.freelancer_id
    elif conversation.kind == Kind.CONTRACT:
        contract = conversation.contract
        client_id, organisation_id, codenames = contract.client_id, contract.organisation_id, CONTRACT_ROLES
        freelancer_id = contract.freelancer_id
    else:
        return None
    client_side = client_side_ids_any(
        client_id=client_id, organisation_id=organisation_id, codenames=codenames
    )
    wanted |= dict.fromkeys(client_side, Side.CLIENT)
    wanted[freelancer_id] = Side.FREELANCER
    return wanted


def participants_sync(conversation: Conversation) -> None:
    """Make the active rows of a proposal's, contract's or dispute's conversation match who may read
    it now: missing people are added (or come back), people who lost the right get ``removed_at``
    (support rows too, in a dispute's: support staff are derived there). Direct pairs are left as
    they are. A few queries, whatever the size."""
    wanted = _wanted(conversation)
    if wanted is None:
        return
    rows = {row.user_id: row for row in Participant.objects.filter(conversation=conversation)}
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user_id=user_id, side=side)
            for user_id, side in wanted.items()
            if user_id not in rows
        ],
        ignore_conflicts=True,  # a concurrent opener added the same row
    )
    back = [row.pk for user_id, row in rows.items() if user_id in wanted and row.removed_at is not None]
    if back:
        Participant.objects.filter(pk__in=back).update(removed_at=None)
    gone = [
        row.pk
        for user_id, row in rows.items()
        if user_id not in wanted
        and row.removed_at is None
        and (row.side != Side.SUPPORT or conversation.kind == Kind.DISPUTE)
    ]
    if gone:
        Participant.objects.filter(pk__in=gone).update(removed_at=timezone.now(), unread=0)


def participants_sync_member(*, organisation_id: int, user_id: int) -> None:
    """One member's rows across the organisation's proposal, contract and dispute conversations,
    after they joined, left or changed role: added where their role now acts on the subject, removed
    where it no longer does (the job's own poster keeps theirs). A few statements per kind for the
    whole organisation."""
    membership = Membership.objects.filter(organisation_id=organisation_id, user_id=user_id)
    role = membership.values_list("role", flat=True).first()  # None: no longer a member
    of_org = {
        Kind.PROPOSAL: Q(proposal__job__organisation_id=organisation_id),
        Kind.CONTRACT: Q(contract__organisation_id=organisation_id),
        Kind.DISPUTE: Q(dispute__contract__organisation_id=organisation_id),
    }
    own = {
        Kind.PROPOSAL: Q(proposal__job__client_id=user_id),
        Kind.CONTRACT: Q(contract__client_id=user_id),
        Kind.DISPUTE: Q(dispute__contract__client_id=user_id),
    }
    roles = {Kind.PROPOSAL: PROPOSAL_ROLES, Kind.CONTRACT: CONTRACT_ROLES, Kind.DISPUTE: CONTRACT_ROLES}
    now = timezone.now()
    with transaction.atomic():
        for kind, in_org in of_org.items():
            conversations = Conversation.objects.filter(in_org, kind=kind)
            mine = Participant.objects.filter(user_id=user_id, conversation__in=conversations)
            if role is not None and role in roles_granting_any(roles[kind]):
                Participant.objects.bulk_create(
                    [
                        Participant(conversation_id=pk, user_id=user_id, side=Side.CLIENT)
                        for pk in conversations.exclude(participants__user_id=user_id).values_list(
                            "pk", flat=True
                        )
                    ],
                    ignore_conflicts=True,
                )
                mine.filter(removed_at__isnull=False).update(removed_at=None)
            else:
                mine.filter(removed_at__isnull=True, side=Side.CLIENT).exclude(
                    conversation__in=conversations.filter(own[kind])
                ).update(removed_at=now, unread=0)


def _open(subject: dict, *, kind: str, title: str) -> Conversation:
    """Get or create the subject's conversation (a concurrent opener's row wins), with the
    subject's title as it is now (a job renamed since), then sync."""
    title = _fit_title(title)
    conversation = Conversation.objects.filter(**subject).first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(kind=kind, title=title, **subject)
        except IntegrityError:
            conversation = Conversation.objects.get(**subject)
    if conversation.title != title and kind != Kind.DIRECT:
        conversation.title = title
        conversation.save(update_fields=["title"])
    participants_sync(conversation)
    return conversation


@transaction.atomic
def conversation_for_proposal(proposal: Proposal) -> Conversation:
    """The proposal's conversation (the freelancer and the job's client side), opened if need be."""
    proposal = Proposal.objects.select_related("job").get(pk=proposal.pk)
    return _open({"proposal": proposal}, kind=Kind.PROPOSAL, title=proposal.job.title)


@transaction.atomic
def conversation_for_contract(contract: Contract) -> Conversation:
    """The contract's conversation (both parties and the client side's acting roles)."""
    contract = Contract.objects.get(pk=contract.pk)
    return _open({"contract": contract}, kind=Kind.CONTRACT, title=contract.title)


@transaction.atomic
def conversation_for_dispute(dispute: Dispute) -> Conversation:
    """The dispute's conversation (the contract conversation's people and every support user)."""
    dispute = Dispute.objects.select_related("contract", "milestone").get(pk=dispute.pk)
    subject = dispute.milestone.title if dispute.milestone_id else dispute.contract.title
    return _open({"dispute": dispute}, kind=Kind.DISPUTE, title=f"Dispute: {subject}")


@transaction.atomic
def support_staff_sync(user_id: int) -> None:
    """A user made support staff gets a row in every dispute's conversation (or has theirs back);
    one who no longer is (or is deactivated) loses their support rows. Three statements."""
    user = User.objects.filter(pk=user_id).first()
    mine = Participant.objects.filter(user_id=user_id, side=Side.SUPPORT)
    if user is None or not (user.is_support and user.is_active):
        mine.filter(removed_at__isnull=True).update(removed_at=timezone.now(), unread=0)
        return
    disputes = Conversation.objects.filter(kind=Kind.DISPUTE).exclude(participants__user_id=user_id)
    Participant.objects.bulk_create(
        [
            Participant(conversation_id=pk, user_id=user_id, side=Side.SUPPORT)
            for pk in disputes.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    mine.filter(removed_at__isnull=False).update(removed_at=None)


def _open_shared_subjects(a: User, b: User) -> None:
    """Open the conversations of proposals and contracts between the two that predate messaging
    (the receivers open new ones), so the participant rows below can answer."""
    for one, other in ((a, b), (b, a)):
        client_side = Q(client=other) | Q(organisation__memberships__user=other)
        jobs = Job.objects.filter(client_side)
        for proposal in Proposal.objects.filter(freelancer=one, job__in=jobs, conversation__isnull=True):
            conversation_for_proposal(proposal)
        for contract in Contract.objects.filter(client_side, freelancer=one, conversation__isnull=True):
            conversation_for_contract(contract)


@transaction.atomic
def conversation_direct(*, acting_user: User, other_user_id: int) -> Conversation:
    """The pair's direct conversation, opened if need be: only between a client (side) and a
    freelancer who already share a proposal or a contract, as active participants on opposite sides
    of its conversation (403 ``no_shared_work`` otherwise; an unknown user is 404
    ``user_not_found``). Its two rows are kept as they are once opened."""
    if not getattr(acting_user, "is_authenticated", False) or acting_user.is_suspended:
        raise PermissionDenied("Log in with an active account first.", code="not_authenticated")
    other = User.objects.filter(pk=other_user_id, is_active=True).first()
    if other is None or other.pk == acting_user.pk:
        raise NotFound("No such person.", code="user_not_found")
    require_pair_not_blocked(acting_user.pk, other.pk)
    _open_shared_subjects(acting_user, other)
    their_side = shared_work_side(acting_user.pk, other.pk)
    if their_side is None:
        raise PermissionDenied(
            "You can message someone directly once you share a proposal or a contract with them.",
            code="no_shared_work",
        )
    low, high = sorted((acting_user.pk, other.pk))
    conversation = _open(
        {"direct_pair": f"{low}:{high}"},
        kind=Kind.DIRECT,
        title=f"{person_name(acting_user)} and {person_name(other)}",
    )
    my_side = Side.FREELANCER if their_side == Side.CLIENT else Side.CLIENT
    for user_id, side in ((acting_user.pk, my_side), (other.pk, their_side)):
        Participant.objects.get_or_create(conversation=conversation, user_id=user_id, defaults={"side": side})
    return conversation
