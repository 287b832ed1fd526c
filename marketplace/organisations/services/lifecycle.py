"""How a pool membership moves when its requirement results change.

Every move goes through ``membership_move`` (the transition helper, with a reason, an audit entry,
and ``status_changed`` after commit for notifications). ``membership_reevaluate`` evaluates one
member and makes the moves the results call for: into review once nothing fails, back to
requirements when something fails again, and, where the pool auto-enforces its requirements, the
pool's expiry action (flag, suspend, remove) on an active member and reinstatement of one the rules
suspended once every rule passes again."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.transitions import transition

from .. import events
from ..models import PoolMembership, PoolOverride, ResultStatus, TalentPool
from .evaluation import Verdict, membership_evaluate

Status = PoolMembership.Status


def membership_move(
    membership: PoolMembership, to: str, *, actor=None, reason: str, **changes
) -> PoolMembership:
    """The one way a membership changes status: history row, audit entry, notification after commit."""
    if to == Status.SUSPENDED:
        changes.setdefault("suspended_by_rules", actor is None)
    if to == Status.ACTIVE:
        changes.setdefault("suspended_by_rules", False)
    moved = transition(membership, to, actor=actor, reason=reason, row_locked=True, **changes)
    audit_record(
        actor=actor,
        action=f"pool.member.{to}",
        target=moved.pool.organisation,
        summary=f"Pool “{moved.pool.name}”: membership {moved.pk} is now "
        f"{moved.get_status_display().lower()}. {reason}",
        membership=moved.pk,
        freelancer=moved.freelancer_id,
    )
    return moved


def granted_override(membership: PoolMembership, now=None) -> PoolOverride | None:
    """The member's granted, unexpired whole-pool override, if any."""
    now = now or timezone.now()
    return (
        membership.overrides.filter(status=PoolOverride.Status.GRANTED, job__isnull=True, expires_at__gt=now)
        .order_by("-expires_at")
        .first()
    )


def _uncovered(verdict: Verdict, membership: PoolMembership) -> list:
    failing = verdict.failing
    if not failing:
        return []
    override = granted_override(membership)
    waived = set(override.waived) if override is not None else set()
    return [r for r in failing if r.requirement_id not in waived]


def _why(results) -> str:
    return " ".join(f"{r.requirement.get_kind_display()}: {r.reason}" for r in results)


def _enforce(membership: PoolMembership, uncovered: list) -> PoolMembership:
    """An active member fails a rule, and the pool auto-enforces. A rule whose evidence expired
    takes the pool's expiry action (flag, suspend, remove); any other failure (a rule added to the
    set, a credential rejected, a rating fallen) flags the member for a manager to decide, so that
    editing a requirement set never suspends a whole pool at once."""
    pool = membership.pool
    if not pool.auto_enforce or not uncovered:
        return membership
    why = _why(uncovered)
    expired = any(r.status == ResultStatus.EXPIRED for r in uncovered)
    action = pool.on_expiry if expired else TalentPool.OnExpiry.FLAG
    if action == TalentPool.OnExpiry.SUSPEND:
        return membership_move(membership, Status.SUSPENDED, reason=f"Requirements no longer met. {why}")
    if action == TalentPool.OnExpiry.REMOVE:
        return membership_move(
            membership, Status.ENDED, reason=f"Requirements no longer met. {why}", ended_at=timezone.now()
        )
    if membership.flagged_at is None:
        membership.flagged_at, membership.flag_reason = timezone.now(), why
        membership.save(update_fields=["flagged_at", "flag_reason"])
        audit_record(
            actor=None,
            action="pool.member.flagged",
            target=pool.organisation,
            summary=f"Pool “{pool.name}”: membership {membership.pk} flagged. {why}",
            membership=membership.pk,
        )
        transaction.on_commit(
            partial(
                events.pool_member_flagged.send,
                sender=PoolMembership,
                membership_id=membership.pk,
                reason=why,
            )
        )
    return membership


def membership_reconcile(membership: PoolMembership, verdict: Verdict) -> PoolMembership:
    """The moves ``verdict`` calls for; ``membership`` is locked by the caller."""
    uncovered = _uncovered(verdict, membership)
    status = membership.status
    if status == Status.AWAITING_REQUIREMENTS and not verdict.failing:
        return membership_move(
            membership, Status.AWAITING_REVIEW, reason="Every requirement passes or awaits review."
        )
    if status == Status.AWAITING_REVIEW and verdict.failing:
        return membership_move(membership, Status.AWAITING_REQUIREMENTS, reason=_why(verdict.failing))
    if status == Status.ACTIVE:
        if not uncovered and membership.flagged_at is not None:
            membership.flagged_at, membership.flag_reason = None, ""
            membership.save(update_fields=["flagged_at", "flag_reason"])
        return _enforce(membership, uncovered)
    rules_suspended = status == Status.SUSPENDED and membership.suspended_by_rules
    if rules_suspended and membership.pool.auto_enforce and verdict.all_pass:
        return membership_move(
            membership, Status.ACTIVE, reason="Reinstated: every requirement passes again."
        )
    return membership


def membership_reevaluate(membership_id: int) -> PoolMembership:
    """Evaluate one member now and make the moves the results call for, under the membership's lock
    (so a review decision and an expiry sweep on the same member happen one after the other)."""
    with transaction.atomic():
        membership = (
            PoolMembership.objects.select_for_update()
            .select_related("pool__organisation")
            .get(pk=membership_id)
        )
        if membership.status not in PoolMembership.LIVE or membership.freelancer_id is None:
            return membership
        return membership_reconcile(membership, membership_evaluate(membership))
