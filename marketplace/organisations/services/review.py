"""A reviewer's decisions on what workers hand in: verify or reject a credential, approve one failed
rule of one member. Each needs ``manage_pool`` on the organisation the credential (or the pool) is
for; anyone outside that organisation is told it does not exist (404). After each decision the
worker's live memberships in the organisation are evaluated again, so the lifecycle makes the moves
the new results call for (into review, or back to active for a member the rules suspended)."""

from django.db import transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound
from marketplace.core.transitions import transition

from ..models import Credential, Organisation, PoolMembership, RequirementResult, ResultStatus, RuleApproval
from ..permissions import membership_of, require_org_permission
from ..requirements.kinds import KINDS
from .lifecycle import membership_reevaluate

CredentialStatus = Credential.Status


def require_reviewer(user, organisation: Organisation, not_found: NotFound) -> None:
    """404 (``not_found``) for anyone outside the organisation, staff included (a worker's
    credentials are nobody else's business); 403 ``role_forbids`` for members without ``manage_pool``."""
    if membership_of(user, organisation) is None:
        raise not_found
    require_org_permission(user, organisation, "manage_pool")


def reason_required(reason: str, what: str) -> str:
    if not reason.strip():
        raise InvalidInput(
            f"Give the reason {what}.", code="reason_required", fields={"reason": ["Give a reason."]}
        )
    return reason.strip()


def _credential_not_found() -> NotFound:
    return NotFound("No such credential.", code="credential_not_found")


def _locked_credential(acting_user, credential_id: int) -> Credential:
    credential = (
        Credential.objects.select_for_update().select_related("organisation").filter(pk=credential_id).first()
    )
    if credential is None:
        raise _credential_not_found()
    require_reviewer(acting_user, credential.organisation, _credential_not_found())
    return credential


def reevaluate_worker(worker_id: int, organisation_id: int) -> list[PoolMembership]:
    """Evaluate every live membership of the worker in the organisation's pools again (each under its
    own lock, through ``membership_reevaluate``)."""
    ids = PoolMembership.objects.filter(
        freelancer_id=worker_id, pool__organisation_id=organisation_id, status__in=PoolMembership.LIVE
    ).values_list("pk", flat=True)
    return [membership_reevaluate(pk) for pk in sorted(ids)]


def _supersede_older(credential: Credential, acting_user) -> None:
    """The worker's older verified credential of the same kind, name, form and coverage (for the same
    organisation) gives way to the one just verified."""
    older = Credential.objects.select_for_update().filter(
        worker_id=credential.worker_id,
        organisation_id=credential.organisation_id,
        kind=credential.kind,
        name__iexact=credential.name,
        form=credential.form,
        coverage=credential.coverage,
        status=CredentialStatus.VERIFIED,
    )
    for row in older.exclude(pk=credential.pk):
        transition(
            row,
            CredentialStatus.SUPERSEDED,
            actor=acting_user,
            reason=f"Replaced by credential {credential.pk}.",
            row_locked=True,
        )


def verify_locked(credential: Credential, acting_user, reason: str) -> Credential:
    """Verify a pending credential the caller locked and may review (no re-evaluation here)."""
    credential = transition(
        credential,
        CredentialStatus.VERIFIED,
        actor=acting_user,
        reason=reason,
        row_locked=True,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_reason=reason,
    )
    _supersede_older(credential, acting_user)
    audit_record(
        actor=acting_user,
        action="pool.credential.verify",
        target=credential.organisation,
        summary=f"Credential {credential.pk} ({credential.get_kind_display()}) verified. {reason}",
        credential=credential.pk,
        freelancer=credential.worker_id,
    )
    return credential


@transaction.atomic
def credential_verify(*, acting_user, credential_id: int, reason: str = "") -> Credential:
    credential = _locked_credential(acting_user, credential_id)
    credential = verify_locked(credential, acting_user, reason.strip())
    reevaluate_worker(credential.worker_id, credential.organisation_id)
    return credential


@transaction.atomic
def credential_reject(*, acting_user, credential_id: int, reason: str) -> Credential:
    credential = _locked_credential(acting_user, credential_id)
    reason = reason_required(reason, "for rejecting it (the worker sees it)")
    credential = transition(
        credential,
        CredentialStatus.REJECTED,
        actor=acting_user,
        reason=reason,
        row_locked=True,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_reason=reason,
    )
    audit_record(
        actor=acting_user,
        action="pool.credential.reject",
        target=credential.organisation,
        summary=f"Credential {credential.pk} ({credential.get_kind_display()}) rejected. {reason}",
        credential=credential.pk,
        freelancer=credential.worker_id,
    )
    reevaluate_worker(credential.worker_id, credential.organisation_id)
    return credential


def membership_not_found() -> NotFound:
    return NotFound("No such pool membership.", code="pool_membership_not_found")


def locked_membership_to_manage(acting_user, membership_id: int) -> PoolMembership:
    """The membership, locked, for a reviewer of its organisation (404 outside it, 403 without
    ``manage_pool``)."""
    membership = (
        PoolMembership.objects.select_for_update()
        .select_related("pool__organisation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise membership_not_found()
    require_reviewer(acting_user, membership.pool.organisation, membership_not_found())
    return membership


def _failing_credential(result: RequirementResult) -> int | None:
    """The credential a failed result rests on (None for a rule without one). An in-date upload short
    of a minimum outranks an expired one in the evaluator, so the $950k certificate sent after the $1M
    one lapsed is what a failed result names. Anything but a failed result: 409."""
    if result.status == ResultStatus.FAIL:
        credential_id = result.evidence.get("credential")
        if credential_id is None and KINDS[result.requirement.kind].action in ("upload", "sign"):
            # Nothing uploaded or signed: approving would waive the rule for good, past the 90 days
            # an override may last.
            raise Conflict(
                "There is nothing to approve yet: the worker has not uploaded or signed anything for "
                "this rule. Ask them to, or grant an override.",
                code="rule_has_no_evidence",
            )
        return credential_id
    raise Conflict(
        f"Only a failed rule can be approved; this one is {result.get_status_display().lower()}"
        + (" and nothing newer was uploaded for it." if result.status == ResultStatus.EXPIRED else "."),
        code="rule_not_failing",
    )


@transaction.atomic
def rule_approve(*, acting_user, membership_id: int, requirement_id: int, reason: str) -> RuleApproval:
    """Approve one rule the member fails (say $950k of cover against a $1M minimum). Only a failing
    credential (or a failed rule without one) can be approved: a passing rule needs nothing, and an
    expired credential needs a newer upload. The approval holds while the same credential is the
    evidence; a pending credential it rests on is verified with it (superseding the lapsed one)."""
    membership = locked_membership_to_manage(acting_user, membership_id)
    reason = reason_required(reason, "for approving this rule")
    result = (
        RequirementResult.objects.select_related("requirement")
        .filter(membership=membership, requirement_id=requirement_id)
        .first()
    )
    if result is None:
        raise NotFound("No such rule for this member.", code="requirement_not_found")
    credential_id = _failing_credential(result)
    credential = None
    if credential_id:
        credential = Credential.objects.select_for_update().get(pk=credential_id)
        if credential.status == CredentialStatus.PENDING:
            credential = verify_locked(credential, acting_user, f"Rule approved: {reason}")
    approval, _ = RuleApproval.objects.update_or_create(
        membership=membership,
        requirement=result.requirement,
        defaults={"credential": credential, "reason": reason, "approved_by": acting_user},
    )
    audit_record(
        actor=acting_user,
        action="pool.rule.approve",
        target=membership.pool.organisation,
        summary=f"Pool “{membership.pool.name}”: {result.requirement.get_kind_display()} approved for "
        f"membership {membership.pk} although it fails. {reason}",
        membership=membership.pk,
        requirement=result.requirement_id,
        credential=credential.pk if credential else None,
    )
    reevaluate_worker(membership.freelancer_id, membership.pool.organisation_id)
    return approval
