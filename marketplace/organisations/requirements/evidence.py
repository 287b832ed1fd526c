"""Gathers the evaluator's ``Evidence`` for many workers of one organisation in a fixed number of
queries (one per source), whatever the number of workers or rules."""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q

from ..models import AgreementSignature, Credential, PoolMembership, Requirement, RuleApproval
from .facts import CredentialFact, Evidence

TRACK_RECORD_DAYS = 365
# Client cancellations that count against the worker's delivery ("on-time") record.
UNDELIVERED = ("not_delivered", "unresponsive")


def _credentials(organisation_id: int, worker_ids) -> dict[int, list[CredentialFact]]:
    facts = defaultdict(list)
    rows = Credential.objects.filter(organisation_id=organisation_id, worker_id__in=worker_ids)
    for c in rows.order_by("-uploaded_at", "-id"):
        facts[c.worker_id].append(
            CredentialFact(
                id=c.pk,
                kind=c.kind,
                status=c.status,
                name=c.name,
                form=c.form,
                coverage=c.coverage,
                per_occurrence_minor=c.per_occurrence_minor,
                aggregate_minor=c.aggregate_minor,
                score=c.score,
                issued_on=c.issued_on,
                expires_on=c.expires_on,
            )
        )
    return facts


def _track_record(worker_ids, today: date) -> dict[int, dict]:
    """Profile place, skills' categories, rating, and contracts of the last year, one row per worker."""
    since = today - timedelta(days=TRACK_RECORD_DAYS)
    ended = Q(contracts_as_freelancer__ended_at__date__gt=since)
    cancelled = Q(contracts_as_freelancer__status="cancelled")
    undelivered = (
        cancelled
        & ~Q(contracts_as_freelancer__ended_by=F("pk"))
        & Q(contracts_as_freelancer__cancel_reason__in=UNDELIVERED)
    )
    rows = (
        get_user_model()
        .objects.filter(pk__in=worker_ids)
        .annotate(
            ended=Count("contracts_as_freelancer", filter=ended),
            undelivered=Count("contracts_as_freelancer", filter=ended & undelivered),
        )
        .values(
            "pk",
            "ended",
            "undelivered",
            "freelancer_profile__city__country_code",
            "freelancer_profile__city__latitude",
            "freelancer_profile__city__longitude",
            "freelancer_reputation__rating_avg",
            "freelancer_reputation__rating_count",
        )
    )
    return {row["pk"]: row for row in rows}


def _skill_categories(worker_ids) -> dict[int, set[str]]:
    categories = defaultdict(set)
    rows = (
        get_user_model()
        .objects.filter(pk__in=worker_ids, freelancer_profile__skills__isnull=False)
        .values_list("pk", "freelancer_profile__skills__category")
        .distinct()
    )
    for worker_id, category in rows:
        categories[worker_id].add(category)
    return categories


def _cancellations(worker_ids, today: date) -> dict[int, list[date]]:
    """Days on which each worker cancelled a contract (they ended it, as cancelled), last 10 years."""
    days = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(
            pk__in=worker_ids,
            contracts_as_freelancer__status="cancelled",
            contracts_as_freelancer__ended_by=F("pk"),
            contracts_as_freelancer__ended_at__date__gt=today - timedelta(days=3650),
        )
        .values_list("pk", "contracts_as_freelancer__ended_at")
    )
    for worker_id, ended_at in rows:
        days[worker_id].append(ended_at.date())
    return days


def evidence_for(
    organisation_id: int, worker_ids, requirements: list[Requirement], today: date
) -> dict[int, Evidence]:
    """Each worker's evidence as ``organisation_id`` sees it, for the rules in ``requirements``."""
    worker_ids = list(worker_ids)
    if not worker_ids:
        return {}
    credentials = _credentials(organisation_id, worker_ids)
    record = _track_record(worker_ids, today)
    categories = _skill_categories(worker_ids)
    cancellations = _cancellations(worker_ids, today)
    signed = defaultdict(lambda: defaultdict(set))
    signatures = AgreementSignature.objects.filter(
        worker_id__in=worker_ids, requirement__pool__organisation_id=organisation_id
    ).values_list("worker_id", "requirement_id", "version")
    for worker_id, requirement_id, version in signatures:
        signed[worker_id][requirement_id].add(version)
    pools = defaultdict(set)
    active = PoolMembership.objects.filter(
        freelancer_id__in=worker_ids, status=PoolMembership.Status.ACTIVE
    ).values_list("freelancer_id", "pool_id")
    for worker_id, pool_id in active:
        pools[worker_id].add(pool_id)
    approvals = defaultdict(dict)
    approved = RuleApproval.objects.filter(
        membership__freelancer_id__in=worker_ids, requirement__in=[r.pk for r in requirements]
    ).values_list("membership__freelancer_id", "requirement_id", "credential_id")
    for worker_id, requirement_id, credential_id in approved:
        approvals[worker_id][requirement_id] = credential_id
    places = _places(requirements)
    evidence = {}
    for worker_id in worker_ids:
        row = record.get(worker_id, {})
        ended = row.get("ended", 0)
        evidence[worker_id] = Evidence(
            credentials=tuple(credentials.get(worker_id, ())),
            signed_versions={k: frozenset(v) for k, v in signed[worker_id].items()},
            country_code=row.get("freelancer_profile__city__country_code") or "",
            latitude=row.get("freelancer_profile__city__latitude"),
            longitude=row.get("freelancer_profile__city__longitude"),
            skill_categories=frozenset(categories.get(worker_id, ())),
            rating_avg=row.get("freelancer_reputation__rating_avg"),
            rating_count=row.get("freelancer_reputation__rating_count") or 0,
            ended_contracts=ended,
            delivered_contracts=ended - row.get("undelivered", 0),
            cancellation_days=tuple(cancellations.get(worker_id, ())),
            active_pool_ids=frozenset(pools.get(worker_id, ())),
            approvals=dict(approvals.get(worker_id, {})),
            places=places,
        )
    return evidence


def _places(requirements: list[Requirement]) -> dict[int, tuple[float, float]]:
    from marketplace.accounts.models import City

    ids = {r.config["base_city_id"] for r in requirements if r.kind == "travel_distance"}
    if not ids:
        return {}
    return {c.pk: (c.latitude, c.longitude) for c in City.objects.filter(pk__in=ids)}
