"""A pool manager's moves of one membership: approve or send back a member awaiting review, suspend,
reinstate, remove, set the tier, add a worker. Each needs ``manage_pool`` (404 outside the
organisation, 403 for its other roles), takes the membership's lock, and moves through
``lifecycle.membership_move`` (history, audit, notification) with the reason given."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound
from marketplace.core.transitions import require_transition

from ..models import Credential, PoolMembership, PoolTier, TalentPool
from .evaluation import Verdict, membership_evaluate
from .lifecycle import granted_override, membership_move, membership_reevaluate
from .pools import _freelancer_by_handle, _require_below_invitation_limits, pool_membership_end
from .review import locked_membership_to_manage, reason_required, require_reviewer, verify_locked

Status = PoolMembership.Status


def _why(results) -> str:
    return "; ".join(f"{r.requirement.get_kind_display()}: {r.reason}" for r in results)


def _not_passing(verdict: Verdict, membership: PoolMembership) -> list:
    """Results that keep the member out: failing ones no granted pool override waives, and pending ones."""
    override = granted_override(membership)
    waived = set(override.waived) if override is not None else set()
    return [
        r
        for r in verdict.results
        if r.status != "pass" and not (r.status in ("fail", "expired") and r.requirement_id in waived)
    ]


@transaction.atomic
def membership_approve(*, acting_user, membership_id: int, reason: str = "") -> PoolMembership:
    """Let in a member awaiting review: the pending credentials their results rest on are verified,
    the member is evaluated again, and becomes active only if every rule then passes (409
    ``rules_not_met`` naming the rules otherwise, and nothing changes)."""
    membership = locked_membership_to_manage(acting_user, membership_id)
    require_transition(membership, Status.ACTIVE, table={Status.AWAITING_REVIEW: {Status.ACTIVE}})
    reason = reason.strip()
    used = {r.evidence.get("credential") for r in membership.results.filter(status="pending")} - {None}
    for credential in Credential.objects.select_for_update().filter(
        pk__in=used, status=Credential.Status.PENDING
    ):
        verify_locked(credential, acting_user, f"Verified with the member's approval. {reason}".strip())
    blocking = _not_passing(membership_evaluate(membership), membership)
    if blocking:
        raise Conflict(f"Not every requirement passes yet: {_why(blocking)}", code="rules_not_met")
    return membership_move(
        membership, Status.ACTIVE, actor=acting_user, reason=reason or "Approved by a reviewer."
    )


@transaction.atomic
def membership_send_back(*, acting_user, membership_id: int, reason: str) -> PoolMembership:
    membership = locked_membership_to_manage(acting_user, membership_id)
    require_transition(
        membership,
        Status.AWAITING_REQUIREMENTS,
        table={Status.AWAITING_REVIEW: {Status.AWAITING_REQUIREMENTS}},
    )
    reason = reason_required(reason, "for sending it back (the worker sees it)")
    return membership_move(membership, Status.AWAITING_REQUIREMENTS, actor=acting_user, reason=reason)


@transaction.atomic
def membership_suspend(*, acting_user, membership_id: int, reason: str) -> PoolMembership:
    """A manager's suspension: not lifted by the rules passing again, only by ``membership_reinstate``."""
    membership = locked_membership_to_manage(acting_user, membership_id)
    require_transition(membership, Status.SUSPENDED)
    reason = reason_required(reason, "for the suspension")
    return membership_move(
        membership, Status.SUSPENDED, actor=acting_user, reason=reason, suspended_by_rules=False
    )


@transaction.atomic
def membership_reinstate(*, acting_user, membership_id: int, reason: str = "") -> PoolMembership:
    """Back to active, only if every rule passes or a granted pool override covers the failing ones
    (409 ``rules_not_met`` otherwise)."""
    membership = locked_membership_to_manage(acting_user, membership_id)
    require_transition(membership, Status.ACTIVE, table={Status.SUSPENDED: {Status.ACTIVE}})
    blocking = _not_passing(membership_evaluate(membership), membership)
    if blocking:
        raise Conflict(f"Not every requirement passes: {_why(blocking)}", code="rules_not_met")
    return membership_move(
        membership, Status.ACTIVE, actor=acting_user, reason=reason.strip() or "Reinstated by a reviewer."
    )


@transaction.atomic
def membership_remove(*, acting_user, membership_id: int, reason: str) -> PoolMembership:
    locked_membership_to_manage(acting_user, membership_id)
    reason = reason_required(reason, "for removing the member")
    return pool_membership_end(acting_user=acting_user, membership_id=membership_id, reason=reason)


@transaction.atomic
def membership_set_tier(*, acting_user, membership_id: int, tier_id: int | None) -> PoolMembership:
    membership = locked_membership_to_manage(acting_user, membership_id)
    if membership.status not in PoolMembership.LIVE:
        raise Conflict("This membership has ended.", code="membership_not_live")
    tier = None
    if tier_id is not None:
        tier = PoolTier.objects.filter(pool=membership.pool, pk=tier_id).first()
        if tier is None:
            raise InvalidInput(
                "That tier is not one of this pool's.",
                code="tier_not_in_pool",
                fields={"tier": ["Choose one of this pool's tiers."]},
            )
    membership.tier = tier
    membership.save(update_fields=["tier"])
    audit_record(
        actor=acting_user,
        action="pool.member.tier",
        target=membership.pool.organisation,
        summary=f"Pool “{membership.pool.name}”: membership {membership.pk} tier set to "
        f"{tier.name if tier else 'none'}.",
        membership=membership.pk,
        tier=tier_id,
    )
    return membership


def member_add(*, acting_user, pool: TalentPool, freelancer_handle: str, reason: str = "") -> PoolMembership:
    """Add a worker whose profile the manager can see (as the invitation by handle does), to any
    pool of the organisation: awaiting requirements (active for a pool without requirements), then
    evaluated at once."""
    require_reviewer(acting_user, pool.organisation, NotFound("No such pool.", code="pool_not_found"))
    freelancer = _freelancer_by_handle(acting_user, freelancer_handle.strip())
    with transaction.atomic():
        _require_below_invitation_limits(acting_user, pool.organisation)
        try:
            with transaction.atomic():
                membership = PoolMembership.objects.create(
                    pool=pool,
                    freelancer=freelancer,
                    invited_by=acting_user,
                    joined_via=PoolMembership.JoinedVia.ADDED,
                    responded_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict(
                f"{freelancer_handle} is already invited to or in this pool.", code="already_in_pool"
            ) from exc
        membership = (
            PoolMembership.objects.select_for_update()
            .select_related("pool__organisation")
            .get(pk=membership.pk)
        )
        to = Status.AWAITING_REQUIREMENTS if pool.requirements.exists() else Status.ACTIVE
        membership_move(
            membership,
            to,
            actor=acting_user,
            reason=reason.strip() or f"Added to the pool by {acting_user.get_full_name()}.",
        )
        return membership_reevaluate(membership.pk)
