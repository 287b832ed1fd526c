"""A worker joins a pool: by applying to one open to applications (``pool_apply``), or by accepting
an invitation (``services.pools.pool_membership_accept``, which calls ``membership_joined`` here).
Either way a pool with requirements puts the worker on its checklist (awaiting requirements) and
evaluates them at once; one without lets an invitee straight in.

``joined_membership`` is the worker's own membership past the invitation, for the checklist's
writes (uploads, signatures)."""

from allauth.account.utils import has_verified_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied

from ..models import PoolMembership, TalentPool
from ..selectors.pools_worker import JOINED, pools_visible_to
from .lifecycle import membership_move, membership_reevaluate

Status = PoolMembership.Status
MESSAGE_MAX = 2000

_NOT_BY_APPLICATION = {
    TalentPool.JoinPolicy.INVITATION: (
        "This pool is joined by invitation only: the organisation invites the workers it wants.",
        "pool_invitation_only",
    ),
    TalentPool.JoinPolicy.ADDED: (
        "The organisation adds the members of this pool itself; it takes no applications.",
        "pool_added_by_organisation",
    ),
}


def require_worker(user: User) -> None:
    """A worker: logged in, not suspended, working as a freelancer (with a profile), address verified."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Log in first.", code="not_authenticated")
    if user.is_suspended:
        raise PermissionDenied("Your account is suspended.", code="account_suspended")
    if not user.is_freelancer or not hasattr(user, "freelancer_profile"):
        raise PermissionDenied(
            "Talent pools are for freelancers: turn on “works as a freelancer” in your account first.",
            code="not_a_freelancer",
        )
    if not has_verified_email(user, user.email):
        raise PermissionDenied("Verify your email address first.", code="email_not_verified")


def membership_joined(membership: PoolMembership, *, actor, reason: str, **changes) -> PoolMembership:
    """An invited (locked) membership is answered yes: onto the checklist if the pool has
    requirements (then evaluated), else straight in."""
    if membership.pool.requirements.exists():
        moved = membership_move(
            membership, Status.AWAITING_REQUIREMENTS, actor=actor, reason=reason, **changes
        )
        return membership_reevaluate(moved.pk)
    return membership_move(membership, Status.ACTIVE, actor=actor, reason=reason, **changes)


@transaction.atomic
def pool_apply(*, acting_user: User, pool_id: int, message: str = "") -> PoolMembership:
    """Apply to a pool the worker may see whose join policy is "apply": awaiting requirements at
    once, evaluated, and (once nothing fails) awaiting the organisation's review. No rate limit: the
    worker writes to an organisation that asked for applications, nobody is emailed unasked."""
    require_worker(acting_user)
    pool = pools_visible_to(acting_user).select_related("organisation").filter(pk=pool_id).first()
    if pool is None:
        raise NotFound("No such pool.", code="pool_not_found")
    if pool.join_policy in _NOT_BY_APPLICATION:
        text, code = _NOT_BY_APPLICATION[pool.join_policy]
        raise Conflict(text, code=code)
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidInput(
            f"Keep the message to {MESSAGE_MAX} characters.",
            code="message_too_long",
            fields={"message": [f"At most {MESSAGE_MAX} characters."]},
        )
    try:
        with transaction.atomic():
            membership = PoolMembership.objects.create(
                pool=pool,
                freelancer=acting_user,
                status=Status.AWAITING_REQUIREMENTS,
                joined_via=PoolMembership.JoinedVia.APPLICATION,
                message=message,
                responded_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict("You are already in this pool (or invited to it).", code="already_in_pool") from exc
    audit_record(
        actor=acting_user,
        action="pool.apply",
        target=pool.organisation,
        summary=f"Applied to the pool “{pool.name}” (membership {membership.pk})",
        membership=membership.pk,
        freelancer=acting_user.pk,
    )
    return membership_reevaluate(membership.pk)


def joined_membership(acting_user: User, membership_id: int, *, lock: bool = False) -> PoolMembership:
    """The worker's own membership, joined and not removed (404 for anyone else's; 409 for an
    invitation not yet accepted, or one that ended)."""
    if not getattr(acting_user, "is_authenticated", False):
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    if acting_user.is_suspended:
        raise PermissionDenied("Your account is suspended.", code="account_suspended")
    rows = PoolMembership.objects.select_related("pool__organisation")
    if lock:
        rows = rows.select_for_update(of=("self",))
    membership = rows.filter(pk=membership_id, freelancer=acting_user).first()
    if membership is None:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    if membership.status not in JOINED:
        raise Conflict(
            "Accept the invitation first."
            if membership.status == Status.INVITED
            else "This membership has ended; apply or ask to be invited again.",
            code="membership_not_joined",
        )
    return membership
