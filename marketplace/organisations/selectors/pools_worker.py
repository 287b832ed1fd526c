"""The worker's side of talent pools: the pools a worker may see (and apply to), their own
memberships, and a membership's onboarding checklist (one row per requirement with its stored
result and what to do next)."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from marketplace.core.exceptions import NotFound
from marketplace.core.models import StatusChange

from ..models import (
    AgreementSignature,
    Credential,
    PoolMembership,
    Requirement,
    RequirementResult,
    TalentPool,
)
from ..requirements.kinds import KINDS
from ..requirements.wording import NEXT_STEP, requirement_summary
from . import pool_memberships_addressed_to
from .pool_settings import names_for

Status = PoolMembership.Status
# Joined (past the invitation) and not removed: the statuses in which a worker uploads and signs.
JOINED = tuple(status for status in PoolMembership.LIVE if status != Status.INVITED)


def _is_worker(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and not user.is_suspended and user.is_freelancer)


def pools_visible_to(user) -> QuerySet[TalentPool]:
    """Pools the worker may see: public ones (any worker with a freelancer profile who is not
    suspended), invitee-only ones they were ever invited to (a live or past invitation), every pool
    of the organisations they belong to, and any pool they are a live member of.
    Everyone else gets the 404 of an unknown pool."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended:
        return TalentPool.objects.none()
    mine = pool_memberships_addressed_to(user)
    visible = Q(organisation__memberships__user=user)  # an organisation's members see all its pools
    visible |= Q(pk__in=mine.filter(status__in=PoolMembership.LIVE).values("pool_id"))
    visible |= Q(visibility=TalentPool.Visibility.INVITEES, pk__in=mine.values("pool_id"))
    if _is_worker(user):
        visible |= Q(visibility=TalentPool.Visibility.PUBLIC)
    return TalentPool.objects.filter(visible).distinct()


def pools_to_browse(user) -> QuerySet[TalentPool]:
    """The visible pools with what their list shows: the organisation, the number of requirements,
    and the worker's live membership (id and status) if any, in one query."""
    mine = pool_memberships_addressed_to(user).filter(pool=OuterRef("pk"), status__in=PoolMembership.LIVE)
    return (
        TalentPool.objects.filter(pk__in=pools_visible_to(user).values("pk"))
        .select_related("organisation")
        .annotate(
            requirement_count=Count("requirements"),
            my_membership_id=Subquery(mine.values("pk")[:1]),
            my_status=Subquery(mine.values("status")[:1]),
        )
        .order_by("organisation__name", "name", "pk")
    )


def pool_for_worker(user, pool_id: int) -> TalentPool:
    pool = pools_to_browse(user).filter(pk=pool_id).first()
    if pool is None:
        raise NotFound("No such pool.", code="pool_not_found")
    return pool


def my_pool_memberships(user) -> QuerySet[PoolMembership]:
    """The worker's live memberships and invitations, each with the number of its rules that fail
    (or expired) as last evaluated."""
    failing = RequirementResult.objects.filter(
        membership=OuterRef("pk"), status__in=["fail", "expired"]
    ).values("membership")
    return (
        pool_memberships_addressed_to(user)
        .filter(status__in=PoolMembership.LIVE)
        .select_related("pool__organisation", "invited_by", "tier")
        .annotate(failing_count=Subquery(failing.annotate(n=Count("pk")).values("n")[:1]))
        .order_by("status", "-invited_at", "-pk")
    )


def my_pool_membership(user, membership_id: int) -> PoolMembership:
    """One of the worker's own memberships (any status); 404 for anyone else's."""
    membership = (
        pool_memberships_addressed_to(user)
        .select_related("pool__organisation", "tier", "invited_by")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    return membership


@dataclass(frozen=True)
class RequirementLine:
    """A requirement as the worker reads it: what it asks, and what they do about it."""

    requirement: Requirement
    label: str
    summary: str
    action: str
    next_step: str


def requirement_lines(pool: TalentPool) -> list[RequirementLine]:
    requirements = list(pool.requirements.all())
    names = names_for(requirements)
    return [
        RequirementLine(
            requirement=r,
            label=KINDS[r.kind].label,
            summary=requirement_summary(r.kind, r.config, names),
            action=KINDS[r.kind].action,
            next_step=NEXT_STEP[KINDS[r.kind].action],
        )
        for r in requirements
    ]


@dataclass(frozen=True)
class ChecklistItem:
    """One row of the checklist: the requirement, its last result (None: not evaluated yet, e.g.
    an invitation not accepted), whether the worker signed its current version (agreements), and
    their credentials of its kind for this organisation, newest first."""

    line: RequirementLine
    result: RequirementResult | None
    signed: AgreementSignature | None
    credentials: tuple[Credential, ...]

    @property
    def status(self) -> str:
        return self.result.status if self.result is not None else "unknown"

    @property
    def needs_action(self) -> bool:
        return self.status in ("fail", "expired")


def _matches(credential: Credential, requirement: Requirement) -> bool:
    kind = KINDS[requirement.kind]
    if credential.kind != kind.credential_kind:
        return False
    name = requirement.config.get("name") or requirement.config.get("title")
    if requirement.kind in ("certification", "skills_test", "document"):
        return credential.name.strip().casefold() == str(name).strip().casefold()
    if requirement.kind == "insurance":
        return credential.coverage == requirement.config.get("coverage")
    return True


def membership_checklist(membership: PoolMembership) -> list[ChecklistItem]:
    """The checklist of one membership, in a fixed number of queries."""
    lines = requirement_lines(membership.pool)
    results = {r.requirement_id: r for r in membership.results.all()}
    worker = membership.freelancer_id
    signatures = {}
    credentials: list[Credential] = []
    if worker is not None:
        for signature in AgreementSignature.objects.filter(
            worker_id=worker, requirement__pool=membership.pool
        ).order_by("signed_at"):
            signatures[(signature.requirement_id, signature.version)] = signature
        credentials = list(
            Credential.objects.filter(
                worker_id=worker, organisation_id=membership.pool.organisation_id
            ).exclude(status=Credential.Status.SUPERSEDED)
        )
    return [
        ChecklistItem(
            line=line,
            result=results.get(line.requirement.pk),
            signed=signatures.get((line.requirement.pk, line.requirement.config.get("version"))),
            credentials=tuple(c for c in credentials if _matches(c, line.requirement)),
        )
        for line in lines
    ]


def membership_history(membership: PoolMembership) -> QuerySet[StatusChange]:
    """The membership's status changes with their reasons, newest first."""
    return (
        StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def worker_credentials(user, organisation_id: int) -> QuerySet[Credential]:
    """The worker's credentials for one organisation, newest first."""
    return Credential.objects.filter(worker=user, organisation_id=organisation_id).select_related("file")
