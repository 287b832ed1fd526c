"""Notifications of talent pools (``status_changed`` of memberships and overrides, and
``marketplace.organisations.events``, all after commit).

The worker hears of every move of their membership with its reason and a link to their checklist
(their own steps — asking for an override, declining, leaving — aside); let in, suspended, removed
and the reminders before something lapses are emailed at once, the rest waits for the digest
(``email_policy``: groups ``pools`` and ``pool_updates``). The pool's managers (``manage_pool``) hear,
in the digest, of what waits for them (a member ready for review, an override asked for, a credential
uploaded), of what the rules did on their own (a member flagged, suspended or removed by the expiry
sweep or a re-evaluation), and of the reminders their members were sent.

Links follow the pools' URL scheme (the worker's checklist, the member's page for managers)."""

import logging

from django.dispatch import receiver
from django.urls import reverse

from marketplace.core.transitions import status_changed
from marketplace.jobs.permissions import roles_granting_any
from marketplace.organisations import events
from marketplace.organisations.models import Credential, Membership, PoolMembership, PoolOverride

from .models import Notification
from .receivers import _never_raises
from .services import notification_create

logger = logging.getLogger(__name__)
Kind = Notification.Kind
Status = PoolMembership.Status


def checklist_url(membership: PoolMembership) -> str:
    return reverse("frontend:pool_membership", args=[membership.pk])


def member_url(membership: PoolMembership) -> str:
    pool = membership.pool
    return reverse("frontend:pool_member", args=[pool.organisation.slug, pool.pk, membership.pk])


def manager_ids(membership: PoolMembership) -> set[int]:
    """Who manages the pool: the organisation's members whose role grants ``manage_pool``."""
    return set(
        Membership.objects.filter(
            organisation_id=membership.pool.organisation_id, role__in=roles_granting_any(("manage_pool",))
        ).values_list("user_id", flat=True)
    )


def _membership(membership_id: int) -> PoolMembership:
    return PoolMembership.objects.select_related("pool__organisation", "freelancer").get(pk=membership_id)


def _worker_name(membership: PoolMembership) -> str:
    return (membership.freelancer.full_name if membership.freelancer_id else "") or membership.invitee


def _pool(membership: PoolMembership) -> str:
    return f"“{membership.pool.name}” ({membership.pool.organisation.name})"


def _tell_worker(membership: PoolMembership, kind: str, title: str, body: str, *, actor_id=None) -> None:
    if membership.freelancer_id is None:
        return
    notification_create(
        recipient_ids=[membership.freelancer_id],
        kind=kind,
        title=title,
        body=body,
        url=checklist_url(membership),
        actor_id=actor_id,
        email_context={"membership": membership, "pool": membership.pool, "reason": body},
    )


def _tell_managers(membership: PoolMembership, kind: str, title: str, body: str, *, actor_id=None) -> None:
    notification_create(
        recipient_ids=manager_ids(membership) - {actor_id},
        kind=kind,
        title=title,
        body=body,
        url=member_url(membership),
        actor_id=actor_id,
    )


# What the worker is told of each move: (kind, title); the body is the move's reason.
WORKER_NEWS = {
    Status.AWAITING_REQUIREMENTS: (Kind.POOL_MEMBERSHIP, "{pool}: requirements to meet"),
    Status.AWAITING_REVIEW: (Kind.POOL_MEMBERSHIP, "{pool}: your requirements are being reviewed"),
    Status.ACTIVE: (Kind.POOL_ACTIVE, "You're in the talent pool {pool}"),
    Status.SUSPENDED: (Kind.POOL_SUSPENDED, "Suspended from the talent pool {pool}"),
    Status.ENDED: (Kind.POOL_REMOVED, "Removed from the talent pool {pool}"),
}
REINSTATED = (Kind.POOL_ACTIVE, "Reinstated in the talent pool {pool}")
DEFAULT_BODY = {
    Status.AWAITING_REQUIREMENTS: "Your checklist shows what is still missing.",
    Status.AWAITING_REVIEW: "Every requirement is met or uploaded; the organisation reviews them next.",
    Status.ACTIVE: "You can now see and be offered the pool's jobs.",
    Status.SUSPENDED: "You no longer see the pool's jobs; offers awaiting your answer were withdrawn.",
    Status.ENDED: "You no longer see the pool's jobs.",
}


@receiver(status_changed, sender=PoolMembership, dispatch_uid="messaging.pool_membership_status")
@_never_raises
def pool_membership_status_changed(
    sender, instance_id: int, from_status: str, to_status: str, actor_id: int | None, reason: str, **kwargs
) -> None:
    membership = _membership(instance_id)
    pool = _pool(membership)
    own_step = actor_id is not None and actor_id == membership.freelancer_id
    news = (
        REINSTATED
        if (from_status, to_status) == (Status.SUSPENDED, Status.ACTIVE)
        else WORKER_NEWS.get(to_status)
    )
    if news is not None and not own_step:
        kind, title = news
        body = reason or DEFAULT_BODY[to_status]
        _tell_worker(membership, kind, title.format(pool=pool), body, actor_id=actor_id)
    if to_status == Status.AWAITING_REVIEW:
        _tell_managers(
            membership, Kind.POOL_REVIEW, f"{_worker_name(membership)} is ready for review in {pool}", reason
        )
    elif to_status in (Status.SUSPENDED, Status.ENDED) and actor_id is None:
        done = "suspended" if to_status == Status.SUSPENDED else "removed"
        _tell_managers(
            membership,
            Kind.POOL_ENFORCED,
            f"{_worker_name(membership)} was {done} from {pool} by its rules",
            reason,
        )


@receiver(events.pool_member_flagged, sender=PoolMembership, dispatch_uid="messaging.pool_member_flagged")
@_never_raises
def pool_member_flagged(sender, membership_id: int, reason: str, **kwargs) -> None:
    membership = _membership(membership_id)
    pool = _pool(membership)
    _tell_worker(
        membership,
        Kind.POOL_MEMBERSHIP,
        f"{pool}: a requirement is no longer met",
        f"You stay in the pool, flagged until it is met again. {reason}",
    )
    _tell_managers(
        membership, Kind.POOL_ENFORCED, f"{_worker_name(membership)} was flagged in {pool}", reason
    )


@receiver(events.pool_member_invited, sender=PoolMembership, dispatch_uid="messaging.pool_member_invited")
@_never_raises
def pool_member_invited(sender, membership_id: int, **kwargs) -> None:
    membership = _membership(membership_id)
    _tell_worker(
        membership,
        Kind.POOL_INVITED,
        f"Invitation to the talent pool {_pool(membership)}",
        membership.message or "Accept it to see the pool's requirements and jobs.",
        actor_id=membership.invited_by_id,
    )


OVERRIDE_NEWS = {
    PoolOverride.Status.GRANTED: "Override granted",
    PoolOverride.Status.DENIED: "Override denied",
    PoolOverride.Status.EXPIRED: "Override expired",
}


@receiver(status_changed, sender=PoolOverride, dispatch_uid="messaging.pool_override_status")
@_never_raises
def pool_override_status_changed(
    sender, instance_id: int, to_status: str, actor_id: int | None, reason: str, **kwargs
) -> None:
    if to_status not in OVERRIDE_NEWS:
        return
    override = PoolOverride.objects.select_related("job").get(pk=instance_id)
    membership = _membership(override.membership_id)
    scope = f"the job “{override.job.title}”" if override.job_id else _pool(membership)
    body = reason
    if to_status == PoolOverride.Status.GRANTED:
        body = f"Until {override.expires_at:%-d %b %Y}. {reason}"
    _tell_worker(
        membership, Kind.POOL_OVERRIDE, f"{OVERRIDE_NEWS[to_status]}: {scope}", body, actor_id=actor_id
    )


@receiver(
    events.pool_override_requested, sender=PoolOverride, dispatch_uid="messaging.pool_override_requested"
)
@_never_raises
def pool_override_requested(sender, override_id: int, **kwargs) -> None:
    override = PoolOverride.objects.select_related("job").get(pk=override_id)
    membership = _membership(override.membership_id)
    scope = f"the job “{override.job.title}”" if override.job_id else "the pool"
    _tell_managers(
        membership,
        Kind.POOL_REVIEW,
        f"{_worker_name(membership)} asks for an override for {scope} in {_pool(membership)}",
        override.request_reason,
        actor_id=override.requested_by_id,
    )


@receiver(events.pool_credential_uploaded, dispatch_uid="messaging.pool_credential_uploaded")
@_never_raises
def pool_credential_uploaded(sender, credential_id: int, **kwargs) -> None:
    credential = Credential.objects.select_related("worker").get(pk=credential_id)
    # One notice per upload, linked to the worker's first live membership of the organisation's pools.
    membership = (
        PoolMembership.objects.filter(
            freelancer_id=credential.worker_id,
            pool__organisation_id=credential.organisation_id,
            status__in=PoolMembership.LIVE,
        )
        .select_related("pool__organisation", "freelancer")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return
    what = credential.get_kind_display().lower()
    _tell_managers(
        membership,
        Kind.POOL_REVIEW,
        f"{_worker_name(membership)} uploaded a {what} for {_pool(membership)}",
        "It waits for your review." if credential.status == Credential.Status.PENDING else "",
        actor_id=credential.worker_id,
    )


@receiver(events.pool_expiry_reminder, sender=PoolMembership, dispatch_uid="messaging.pool_expiry_reminder")
@_never_raises
def pool_expiry_reminder(
    sender, membership_id: int, subject: str, days_left: int, ends_on, what: str, **kwargs
) -> None:
    membership = _membership(membership_id)
    pool = _pool(membership)
    when = f"in {days_left} day{'s' if days_left != 1 else ''}, on {ends_on:%-d %b %Y}"
    action = dict(membership.pool.OnExpiry.choices)[membership.pool.on_expiry].lower()
    is_override = subject.startswith("override:")
    if is_override:
        body = f"{what} ends {when}. Meet the requirements it covers before then."
    else:
        body = f"{what} lapses {when}. Upload a new one before then."
    if membership.freelancer_id is not None:
        notification_create(
            recipient_ids=[membership.freelancer_id],
            kind=Kind.POOL_EXPIRY_REMINDER,
            title=f"{pool}: expires {when}",
            body=body,
            url=checklist_url(membership),
            email_context={
                "membership": membership,
                "pool": membership.pool,
                "what": what,
                "days_left": days_left,
                "ends_on": ends_on,
                "action": action,
                "is_override": is_override,
            },
        )
    _tell_managers(membership, Kind.POOL_EXPIRING, f"{_worker_name(membership)}: {what} lapses {when}", pool)
