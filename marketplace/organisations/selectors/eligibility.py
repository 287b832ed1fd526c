"""Who may see, and be offered, a pool's jobs: the pool's active members, and a member holding a
granted, unexpired override (for the whole pool, or for that one job) while their membership is
neither suspended nor over. The jobs selector, the search audience and the offer service all ask
here, so the three cannot drift apart."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import PoolMembership, PoolOverride, TalentPool

Status = PoolMembership.Status
# A granted override counts for a member in these statuses: not a suspended one (suspension shuts
# the pool's jobs whatever was granted), nor one invited, declined or removed.
OVERRIDE_HOLDERS = (Status.ACTIVE, *PoolMembership.VETTING)


def _granted(now, *, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": PoolOverride.Status.GRANTED,
            f"{prefix}expires_at__gt": now,
        }
    )


def _open_memberships(worker, now) -> QuerySet[PoolMembership]:
    pool_override = _granted(now, prefix="overrides__") & Q(overrides__job__isnull=True)
    return PoolMembership.objects.filter(
        Q(status=Status.ACTIVE) | (Q(status__in=OVERRIDE_HOLDERS) & pool_override), freelancer=worker
    )


def pool_ids_open_to(worker, now=None) -> QuerySet:
    """The pools whose jobs ``worker`` sees (a one-column ``values`` queryset of pool ids)."""
    return _open_memberships(worker, now or timezone.now()).values("pool_id")


def default_pool_organisations_open_to(worker, now=None) -> QuerySet:
    """The organisations whose default pool is open to ``worker``: their pool jobs with no pool named."""
    memberships = _open_memberships(worker, now or timezone.now()).filter(pool__is_default=True)
    return memberships.values("pool__organisation_id")


def job_override_job_ids(worker, now=None) -> QuerySet:
    """The jobs ``worker`` holds a granted, unexpired job override for (one-column ``values``)."""
    overrides = PoolOverride.objects.filter(
        _granted(now or timezone.now()),
        job__isnull=False,
        membership__freelancer=worker,
        membership__status__in=OVERRIDE_HOLDERS,
    )
    return overrides.values("job_id")


def pool_job_refusal(*, worker_id: int, pool: TalentPool, job_id: int, now=None) -> str:
    """Why ``worker_id`` may not be offered job ``job_id`` of ``pool`` ("" when they may)."""
    now = now or timezone.now()
    membership = (
        PoolMembership.objects.filter(pool=pool, freelancer_id=worker_id)
        .order_by("-invited_at", "-pk")
        .first()
    )
    if membership is not None and membership.status == Status.ACTIVE:
        return ""
    if membership is not None and membership.status in OVERRIDE_HOLDERS:
        covering = Q(job__isnull=True) | Q(job_id=job_id)
        if membership.overrides.filter(_granted(now), covering).exists():
            return ""
    where = f"the pool “{pool.name}”"
    if membership is None:
        return f"This freelancer is not a member of {where} and holds no override for this job."
    return (
        f"This freelancer's membership of {where} is {membership.get_status_display().lower()}, "
        "not active, and they hold no override for this job."
    )
