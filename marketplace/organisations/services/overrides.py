"""Overrides: a member who fails some rules asks to work anyway, for the whole pool or one job; a
reviewer (``manage_pool``) grants it for at most ``POOL_OVERRIDE_MAX_DAYS`` days with a reason, or
denies it. A granted pool override makes the member active while it lasts and waives exactly the
rules failing when it was granted; its expiry is handled by the expiry sweep. Overrides never waive
a compliance block (the compliance rules arrive with a later issue)."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound
from marketplace.core.transitions import transition

from .. import events
from ..models import PoolMembership, PoolOverride
from ..permissions import require_org_permission
from .evaluation import membership_evaluate
from .lifecycle import membership_move, membership_reconcile

Status = PoolMembership.Status


def _locked_membership(membership_id: int) -> PoolMembership:
    membership = (
        PoolMembership.objects.select_for_update()
        .select_related("pool__organisation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    return membership


def _pool_job(membership: PoolMembership, job_id: int | None):
    if job_id is None:
        return None
    job = membership.pool.jobs.filter(pk=job_id).first()
    if job is None:
        raise InvalidInput(
            "That job is not one of this pool's jobs.",
            code="override_job_not_in_pool",
            fields={"job": ["Choose one of this pool's jobs."]},
        )
    return job


@transaction.atomic
def override_request(
    *, acting_user, membership_id: int, reason: str, job_id: int | None = None
) -> PoolOverride:
    """The worker asks. A pool override moves the membership to "override requested"."""
    membership = _locked_membership(membership_id)
    if membership.freelancer_id != acting_user.pk:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    if not reason.strip():
        raise InvalidInput(
            "Say why you should be let in while a requirement is not met.",
            code="override_reason_required",
            fields={"reason": ["Give a reason."]},
        )
    if membership.status not in (Status.AWAITING_REQUIREMENTS, Status.SUSPENDED):
        raise Conflict(
            "An override can be asked for only while requirements are not met.", code="override_not_needed"
        )
    job = _pool_job(membership, job_id)
    try:
        with transaction.atomic():
            override = PoolOverride.objects.create(
                membership=membership, job=job, request_reason=reason.strip(), requested_by=acting_user
            )
    except IntegrityError as exc:
        raise Conflict(
            "An override for this pool is already asked for or granted.", code="override_open"
        ) from exc
    if job is None and membership.status == Status.AWAITING_REQUIREMENTS:
        membership_move(membership, Status.OVERRIDE_REQUESTED, actor=acting_user, reason=reason.strip())
    audit_record(
        actor=acting_user,
        action="pool.override.request",
        target=membership.pool.organisation,
        summary=f"Override asked for membership {membership.pk}" + (f" for job {job.pk}" if job else ""),
        membership=membership.pk,
    )
    transaction.on_commit(
        partial(events.pool_override_requested.send, sender=PoolOverride, override_id=override.pk)
    )
    return override


def _open_override(membership: PoolMembership, override_id: int) -> PoolOverride:
    override = membership.overrides.select_for_update().filter(pk=override_id).first()
    if override is None:
        raise NotFound("No such override.", code="override_not_found")
    return override


@transaction.atomic
def override_grant(
    *, acting_user, membership_id: int, override_id: int, days: int, reason: str
) -> PoolOverride:
    """A reviewer grants a requested override for ``days`` (1 to POOL_OVERRIDE_MAX_DAYS)."""
    membership = _locked_membership(membership_id)
    require_org_permission(acting_user, membership.pool.organisation, "manage_pool")
    override = _open_override(membership, override_id)
    limit = settings.POOL_OVERRIDE_MAX_DAYS
    if not 1 <= days <= limit:
        raise InvalidInput(
            f"An override lasts from 1 to {limit} days.",
            code="override_too_long",
            fields={"days": [f"From 1 to {limit} days."]},
        )
    if not reason.strip():
        raise InvalidInput(
            "Give the reason for the override.",
            code="override_reason_required",
            fields={"reason": ["Give a reason."]},
        )
    now = timezone.now()
    verdict = membership_evaluate(membership)
    override = transition(
        override,
        PoolOverride.Status.GRANTED,
        actor=acting_user,
        reason=reason.strip(),
        row_locked=True,
        decision_reason=reason.strip(),
        decided_by=acting_user,
        decided_at=now,
        expires_at=now + timedelta(days=days),
        waived=[r.requirement_id for r in verdict.failing],
    )
    if override.job_id is None and membership.status in (
        Status.OVERRIDE_REQUESTED,
        Status.SUSPENDED,
        Status.AWAITING_REQUIREMENTS,
    ):
        membership_move(
            membership, Status.ACTIVE, actor=acting_user, reason=f"Override for {days} days: {reason.strip()}"
        )
    audit_record(
        actor=acting_user,
        action="pool.override.grant",
        target=membership.pool.organisation,
        summary=f"Override {override.pk} granted for {days} days: {reason.strip()}",
        membership=membership.pk,
    )
    return override


@transaction.atomic
def override_deny(*, acting_user, membership_id: int, override_id: int, reason: str) -> PoolOverride:
    membership = _locked_membership(membership_id)
    require_org_permission(acting_user, membership.pool.organisation, "manage_pool")
    override = _open_override(membership, override_id)
    override = transition(
        override,
        PoolOverride.Status.DENIED,
        actor=acting_user,
        reason=reason.strip(),
        row_locked=True,
        decision_reason=reason.strip(),
        decided_by=acting_user,
        decided_at=timezone.now(),
    )
    if override.job_id is None and membership.status == Status.OVERRIDE_REQUESTED:
        membership_move(
            membership,
            Status.AWAITING_REQUIREMENTS,
            actor=acting_user,
            reason=f"Override denied: {reason.strip()}",
        )
    audit_record(
        actor=acting_user,
        action="pool.override.deny",
        target=membership.pool.organisation,
        summary=f"Override {override.pk} denied: {reason.strip()}",
        membership=membership.pk,
    )
    return override


@transaction.atomic
def override_expire(*, override_id: int) -> PoolOverride | None:
    """The sweep's step for one granted override past its end: expired, then the member is held to
    every rule again; one who still fails a rule the override waived is suspended."""
    # The membership's lock first, then the override's, in the order grant and deny take them.
    membership_id = (
        PoolOverride.objects.filter(pk=override_id).values_list("membership_id", flat=True).first()
    )
    if membership_id is None:
        return None
    membership = _locked_membership(membership_id)
    override = PoolOverride.objects.select_for_update().get(pk=override_id)
    if override.status != PoolOverride.Status.GRANTED or override.expires_at > timezone.now():
        return None
    override = transition(
        override, PoolOverride.Status.EXPIRED, reason="The override ran out.", row_locked=True
    )
    verdict = membership_evaluate(membership)
    if override.job_id is None and membership.status == Status.ACTIVE and verdict.failing:
        membership_move(
            membership,
            Status.SUSPENDED,
            reason="The override expired and requirements are still not met. "
            + " ".join(f"{r.requirement.get_kind_display()}: {r.reason}" for r in verdict.failing),
        )
    else:
        membership_reconcile(membership, verdict)
    return override
