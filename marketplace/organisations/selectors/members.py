"""Reads for a pool's managers: the member list with its filters (page, CSV and API), one member's
file (results, history, credentials, signatures, overrides, reminders) and the review queue across
an organisation's pools. Lists load a page's rows in a fixed number of queries (``member_rows``)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from marketplace.core.exceptions import NotFound
from marketplace.core.models import StatusChange

from ..models import (
    AgreementSignature,
    Credential,
    ExpiryReminder,
    Organisation,
    PoolMembership,
    PoolOverride,
    Requirement,
    RequirementResult,
    ResultStatus,
    TalentPool,
)
from ..requirements.kinds import COVERAGE_LABELS, FORM_LABELS

FAILING = (ResultStatus.FAIL, ResultStatus.EXPIRED)
Status = PoolMembership.Status


def pool_of(organisation: Organisation, pool_id: int) -> TalentPool:
    pool = TalentPool.objects.filter(organisation=organisation, pk=pool_id).first()
    if pool is None:
        raise NotFound("No such pool.", code="pool_not_found")
    return pool


def requirement_label(requirement: Requirement) -> str:
    """A rule as a column heading or a line of the member's file: its kind and what it names."""
    config, label = requirement.config, requirement.get_kind_display()
    named = config.get("title") or config.get("name")
    if requirement.kind == "insurance":
        named = COVERAGE_LABELS.get(config.get("coverage"), "")
    elif requirement.kind == "tax_form":
        named = " or ".join(FORM_LABELS.get(f, f) for f in config.get("forms", []))
    elif requirement.kind == "agreement":
        named = f"{config.get('title')} v{config.get('version')}"
    return f"{label}: {named}" if named else label


# ---- the member list --------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFilters:
    """The list's filters, as the page's form and the API's query parameters give them."""

    statuses: tuple[str, ...] = ()  # any of; none: every live status
    tier: int | None = None
    failing_rule: int | None = None  # a requirement id: members whose result for it fails or expired
    expiring_within: int | None = None  # days: a result lapses, or a granted override ends, by then
    q: str = ""  # name or handle (and email address, for those who may see contacts)


def pool_members(
    pool: TalentPool, filters: MemberFilters, *, search_contacts: bool, today: date | None = None
) -> QuerySet[PoolMembership]:
    """The pool's memberships the filters select, newest first (ids and order only: ``member_rows``
    loads what a page shows)."""
    today = today or timezone.localdate()
    members = PoolMembership.objects.filter(pool=pool)
    members = members.filter(status__in=filters.statuses or PoolMembership.LIVE)
    if filters.tier is not None:
        members = members.filter(tier_id=filters.tier)
    if filters.failing_rule is not None:
        failing = RequirementResult.objects.filter(
            membership=OuterRef("pk"), requirement_id=filters.failing_rule, status__in=FAILING
        )
        members = members.filter(Exists(failing))
    if filters.expiring_within is not None:
        until = today + timedelta(days=filters.expiring_within)
        lapsing = RequirementResult.objects.filter(
            membership=OuterRef("pk"), status=ResultStatus.PASS, lapses_on__gte=today, lapses_on__lte=until
        )
        now = timezone.now()
        ending = PoolOverride.objects.filter(
            membership=OuterRef("pk"),
            status=PoolOverride.Status.GRANTED,
            expires_at__gt=now,
            expires_at__lt=timezone.make_aware(
                datetime.combine(until + timedelta(days=1), datetime.min.time())
            ),
        )
        members = members.filter(Exists(lapsing) | Exists(ending))
    words = filters.q.strip()
    if words:
        match = Q(freelancer__full_name__icontains=words) | Q(
            freelancer__freelancer_profile__handle__icontains=words
        )
        if search_contacts:
            match |= Q(freelancer__email__icontains=words) | Q(email__icontains=words)
        members = members.filter(match)
    return members.order_by("-invited_at", "-pk")


@dataclass
class MemberRow:
    """One line of the member list: the membership with its results and granted pool override."""

    membership: PoolMembership
    results: list[RequirementResult] = field(default_factory=list)
    override: PoolOverride | None = None

    @property
    def failing(self) -> list[RequirementResult]:
        return [r for r in self.results if r.status in FAILING]

    @property
    def first_failing_reason(self) -> str:
        return self.failing[0].reason if self.failing else ""

    @property
    def next_lapse(self) -> date | None:
        days = [r.lapses_on for r in self.results if r.lapses_on and r.status == ResultStatus.PASS]
        if self.override is not None:
            days.append(timezone.localdate(self.override.expires_at))
        return min(days) if days else None

    def result_for(self, requirement_id: int) -> RequirementResult | None:
        return next((r for r in self.results if r.requirement_id == requirement_id), None)


def member_rows(ids) -> list[MemberRow]:
    """The rows of ``ids`` (in that order) with what the list shows, in three queries whatever
    their number."""
    ids = list(ids)
    now = timezone.now()
    memberships = (
        PoolMembership.objects.filter(pk__in=ids)
        .select_related("freelancer__freelancer_profile", "tier")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=RequirementResult.objects.select_related("requirement").order_by(
                    "requirement__position", "requirement_id"
                ),
                to_attr="result_list",
            ),
            Prefetch(
                "overrides",
                queryset=PoolOverride.objects.filter(
                    status=PoolOverride.Status.GRANTED, job__isnull=True, expires_at__gt=now
                ).order_by("-expires_at"),
                to_attr="granted_list",
            ),
        )
    )
    by_id = {m.pk: m for m in memberships}
    return [
        MemberRow(m, m.result_list, m.granted_list[0] if m.granted_list else None)
        for m in (by_id[pk] for pk in ids if pk in by_id)
    ]


# ---- one member --------------------------------------------------------------------------------


def member_of_pool(pool: TalentPool, membership_id: int) -> PoolMembership:
    membership = (
        PoolMembership.objects.filter(pool=pool, pk=membership_id)
        .select_related("freelancer__freelancer_profile", "tier", "invited_by", "pool__organisation")
        .first()
    )
    if membership is None:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    return membership


@dataclass
class MemberFile:
    """Everything a manager sees of one member. ``credentials`` only for those who review them."""

    row: MemberRow
    history: list[StatusChange]
    overrides: list[PoolOverride]
    signatures: list[AgreementSignature]
    reminders: list[ExpiryReminder]
    credentials: list[Credential] | None = None
    approvals: dict[int, object] = field(default_factory=dict)


def member_file(membership: PoolMembership, *, with_credentials: bool) -> MemberFile:
    (row,) = member_rows([membership.pk])
    history = list(
        StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    overrides = list(
        membership.overrides.select_related("decided_by", "requested_by", "job").order_by(
            "-requested_at", "-pk"
        )
    )
    signatures, credentials = [], None
    if membership.freelancer_id:
        signatures = list(
            AgreementSignature.objects.filter(
                worker_id=membership.freelancer_id, requirement__pool_id=membership.pool_id
            ).order_by("-signed_at")
        )
        if with_credentials:
            credentials = list(
                Credential.objects.filter(
                    worker_id=membership.freelancer_id, organisation_id=membership.pool.organisation_id
                )
                .select_related("file", "reviewed_by")
                .order_by("-uploaded_at", "-pk")
            )
    approvals = {a.requirement_id: a for a in membership.approvals.select_related("approved_by")}
    return MemberFile(
        row=row,
        history=history,
        overrides=overrides,
        signatures=signatures,
        reminders=list(membership.reminders.order_by("-sent_at")),
        credentials=credentials,
        approvals=approvals,
    )


# ---- the review queue ------------------------------------------------------------------------------

QUEUE_SECTIONS = {
    "review": "Awaiting review",
    "overrides": "Override requests",
    "credentials": "Credentials to check",
    "flagged": "Flagged members",
}


def _flagged(organisation: Organisation) -> QuerySet[PoolMembership]:
    """Live members flagged by the expiry action, or failing a rule on a credential that is not
    rejected (say $950k of cover against a $1M minimum): what a reviewer may approve or chase."""
    on_credential = RequirementResult.objects.filter(
        membership=OuterRef("pk"), status=ResultStatus.FAIL, evidence__has_key="credential"
    ).exclude(evidence__status="rejected")
    return PoolMembership.objects.filter(
        pool__organisation=organisation, status__in=PoolMembership.LIVE
    ).filter(Q(flagged_at__isnull=False) | Exists(on_credential))


def review_queue(organisation: Organisation) -> dict[str, QuerySet]:
    """Each section of the queue across the organisation's pools, oldest first (unevaluated querysets:
    the page counts them all and pages one)."""
    members = PoolMembership.objects.select_related("pool", "freelancer__freelancer_profile")
    return {
        "review": members.filter(pool__organisation=organisation, status=Status.AWAITING_REVIEW).order_by(
            "invited_at", "pk"
        ),
        "overrides": PoolOverride.objects.filter(
            membership__pool__organisation=organisation, status=PoolOverride.Status.REQUESTED
        )
        .select_related("membership__pool", "membership__freelancer__freelancer_profile", "job")
        .order_by("requested_at", "pk"),
        "credentials": Credential.objects.filter(organisation=organisation, status=Credential.Status.PENDING)
        .select_related("worker__freelancer_profile")
        .order_by("uploaded_at", "pk"),
        "flagged": members.filter(pk__in=_flagged(organisation).values("pk")).order_by("invited_at", "pk"),
    }


def credential_pools(organisation: Organisation, worker_ids) -> dict[int, list[PoolMembership]]:
    """Each worker's live memberships of the organisation's pools (to link a credential to a member)."""
    found: dict[int, list[PoolMembership]] = {}
    for membership in PoolMembership.objects.filter(
        pool__organisation=organisation, freelancer_id__in=set(worker_ids), status__in=PoolMembership.LIVE
    ).select_related("pool"):
        found.setdefault(membership.freelancer_id, []).append(membership)
    return found


def queue_items(section: str, rows, organisation) -> list[dict]:
    """The queue's rows as plain items (the page and the API show the same)."""
    items = []
    if section == "credentials":
        pools = credential_pools(organisation, [c.worker_id for c in rows])
        for c in rows:
            first = (pools.get(c.worker_id) or [None])[0]
            items.append(
                {
                    "section": section,
                    "id": c.pk,
                    "membership": first.pk if first else None,
                    "pool": {"id": first.pool_id, "name": first.pool.name} if first else None,
                    "worker": _worker(c.worker),
                    "since": c.uploaded_at,
                    "summary": f"{c.get_kind_display()}{': ' + c.name if c.name else ''}",
                }
            )
        return items
    for row in rows:
        membership = row.membership if section == "overrides" else row
        items.append(
            {
                "section": section,
                "id": row.pk,
                "membership": membership.pk,
                "pool": {"id": membership.pool_id, "name": membership.pool.name},
                "worker": _worker(membership.freelancer),
                "since": row.requested_at if section == "overrides" else membership.invited_at,
                "summary": row.request_reason
                if section == "overrides"
                else (membership.flag_reason or membership.get_status_display()),
            }
        )
    return items


def _worker(user) -> dict:
    profile = getattr(user, "freelancer_profile", None) if user else None
    return {
        "id": user.pk if user else None,
        "full_name": user.get_full_name() if user else "",
        "handle": profile.handle if profile else None,
    }
