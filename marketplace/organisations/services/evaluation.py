"""Evaluates pool members against their pool's requirement set and stores each result with the
evidence it used (``RequirementResult``). The lifecycle reads the stored results; nothing else writes
them."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import PoolMembership, Requirement, RequirementResult, ResultStatus
from ..requirements.evaluator import evaluate
from ..requirements.evidence import evidence_for
from ..requirements.facts import Rule


@dataclass
class Verdict:
    """One member's results: what fails (or expired), what awaits review, and all of them."""

    results: list[RequirementResult] = field(default_factory=list)

    @property
    def failing(self) -> list[RequirementResult]:
        return [r for r in self.results if r.status in (ResultStatus.FAIL, ResultStatus.EXPIRED)]

    @property
    def pending(self) -> list[RequirementResult]:
        return [r for r in self.results if r.status == ResultStatus.PENDING]

    @property
    def all_pass(self) -> bool:
        return all(r.status == ResultStatus.PASS for r in self.results)


def memberships_evaluate(
    memberships: list[PoolMembership], *, today: date | None = None
) -> dict[int, Verdict]:
    """Evaluate and store the results of ``memberships`` (any pools of one organisation), in a
    fixed number of queries per pool. Returns each membership's ``Verdict``."""
    today = today or timezone.localdate()
    now = timezone.now()
    verdicts: dict[int, Verdict] = {}
    by_pool: dict[int, list[PoolMembership]] = {}
    for membership in memberships:
        by_pool.setdefault(membership.pool_id, []).append(membership)
    if not by_pool:
        return verdicts
    requirements: dict[int, list[Requirement]] = {pool_id: [] for pool_id in by_pool}
    for requirement in Requirement.objects.filter(pool_id__in=by_pool).select_related("pool"):
        requirements[requirement.pool_id].append(requirement)
    organisation_ids = {m.pool.organisation_id for m in memberships}
    rows = []
    for organisation_id in organisation_ids:
        in_org = [m for m in memberships if m.pool.organisation_id == organisation_id and m.freelancer_id]
        rules = [r for m in in_org for r in requirements[m.pool_id]]
        evidence = evidence_for(organisation_id, {m.freelancer_id for m in in_org}, rules, today)
        for membership in in_org:
            verdict = verdicts.setdefault(membership.pk, Verdict())
            for requirement in requirements[membership.pool_id]:
                rule = Rule(requirement.pk, requirement.kind, requirement.config)
                outcome = evaluate(rule, evidence[membership.freelancer_id], today)
                result = RequirementResult(
                    membership=membership,
                    requirement=requirement,
                    status=outcome.status,
                    reason=outcome.reason,
                    evidence=outcome.evidence,
                    lapses_on=outcome.lapses_on,
                    evaluated_at=now,
                )
                rows.append(result)
                verdict.results.append(result)
    with transaction.atomic():
        RequirementResult.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["membership", "requirement"],
            update_fields=["status", "reason", "evidence", "lapses_on", "evaluated_at"],
        )
    return verdicts


def membership_evaluate(membership: PoolMembership, *, today: date | None = None) -> Verdict:
    return memberships_evaluate([membership], today=today).get(membership.pk, Verdict())
