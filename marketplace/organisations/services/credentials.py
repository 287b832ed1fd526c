"""A worker uploads a credential for one requirement of a pool they joined: the requirement's kind
decides the credential's kind and the facts the worker states with the file (a policy's cover and
expiry, a check's date, a test's score); the names and coverage come from the rule, so what is
uploaded is what the rule looks for. The credential waits (pending) for the organisation's review;
an older one of the same kind stays until a reviewer verifies the new one (services.review
supersedes it then). Every live membership of the worker in that organisation is evaluated again."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from marketplace.accounts.models import User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import DomainError, InvalidInput
from marketplace.core.files import file_check, file_store

from ..models import Credential, PoolMembership, Requirement
from ..requirements.kinds import FORM_LABELS, KINDS
from ..selectors.pools_worker import JOINED
from .credential_files import POOL_CREDENTIAL_FILES
from .joining import joined_membership
from .lifecycle import membership_reevaluate

# A reviewer reads the document: PDF or a photo of it; nothing that runs or needs an office suite.
CREDENTIAL_TYPES = {"application/pdf", "image/jpeg", "image/png"}
MONEY_MAX = 10**13  # $100bn in cents: past any certificate


class _Errors(dict):
    def add(self, field: str, code: str, message: str) -> None:
        self.setdefault(field, []).append({"code": code, "message": message})


def _date(raw, field: str, errors: _Errors, *, required: bool) -> date | None:
    if raw in (None, ""):
        if required:
            errors.add(field, "required", "Give the date.")
        return None
    if isinstance(raw, date):
        return raw
    try:
        value = parse_date(str(raw).strip())
    except ValueError:  # well formed but no such day (2026-02-30)
        value = None
    if value is None:
        errors.add(field, "invalid_date", "Give a date as YYYY-MM-DD.")
    return value


def _whole(raw, field: str, errors: _Errors, *, low: int, high: int, what: str) -> int | None:
    if raw in (None, ""):
        errors.add(field, "required", f"Give the {what}.")
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors.add(field, "invalid_number", "Give a whole number.")
        return None
    if not low <= value <= high:
        errors.add(field, "out_of_range", f"From {low} to {high}.")
        return None
    return value


def _expiry(raw, errors: _Errors, today: date, *, required: bool) -> date | None:
    value = _date(raw, "expires_on", errors, required=required)
    if value is not None and value <= today:
        errors.add("expires_on", "already_expired", "This has already expired; upload a current one.")
    return value


def _completed(raw, errors: _Errors, today: date) -> date | None:
    value = _date(raw, "issued_on", errors, required=True)
    if value is not None and value > today:
        errors.add("issued_on", "date_in_future", "The date it was completed cannot be in the future.")
    return value


def credential_facts(requirement: Requirement, raw: dict, today: date, errors: _Errors) -> dict:
    """The credential's fields for ``requirement`` from what the worker stated (``raw``); problems go
    into ``errors`` by field, each with its code."""
    config, kind = requirement.config, requirement.kind
    if kind == "tax_form":
        form = str(raw.get("form") or "").strip().lower()
        forms = config.get("forms", [])
        if not form and len(forms) == 1:
            form = forms[0]
        if form not in forms:
            accepted = " or ".join(FORM_LABELS.get(f, f) for f in forms)
            errors.add("form", "form_not_accepted", f"This pool accepts a {accepted}.")
        return {"form": form}
    if kind == "insurance":
        cover = {
            field: _whole(raw.get(field), field, errors, low=1, high=MONEY_MAX, what="amount in cents")
            for field in ("per_occurrence_minor", "aggregate_minor")
        }
        expires_on = _expiry(raw.get("expires_on"), errors, today, required=True)
        return {"coverage": config.get("coverage", ""), "expires_on": expires_on, **cover}
    if kind in ("background_check", "drug_test"):
        return {"issued_on": _completed(raw.get("issued_on"), errors, today)}
    if kind == "skills_test":
        score = _whole(raw.get("score"), "score", errors, low=0, high=100, what="score")
        return {"name": config.get("name", ""), "score": score}
    name = config.get("name") if kind == "certification" else config.get("title")
    return {"name": name or "", "expires_on": _expiry(raw.get("expires_on"), errors, today, required=False)}


def _checked_file(data: bytes | None, name: str, errors: _Errors):
    if data is None:
        errors.add("file", "required", "Attach the document (PDF, JPEG or PNG).")
        return None
    try:
        checked = file_check(data, name)
    except DomainError as exc:
        errors.add("file", exc.code, exc.message)
        return None
    if checked.content_type not in CREDENTIAL_TYPES:
        errors.add("file", "unsupported_credential_type", "Attach a PDF, JPEG or PNG file.")
        return None
    return checked


def _upload_requirement(membership: PoolMembership, requirement_id) -> Requirement:
    requirement = membership.pool.requirements.filter(pk=requirement_id).first() if requirement_id else None
    if requirement is None:
        raise InvalidInput(
            "Choose one of this pool's requirements.",
            code="requirement_not_found",
            fields={"requirement": [{"code": "requirement_not_found", "message": "Not a requirement here."}]},
        )
    if KINDS[requirement.kind].action != "upload":
        raise InvalidInput(
            "This requirement is not met by uploading a document.",
            code="requirement_not_uploaded",
            fields={"requirement": [{"code": "requirement_not_uploaded", "message": "Nothing to upload."}]},
        )
    return requirement


@transaction.atomic
def credential_upload(
    *,
    acting_user: User,
    membership_id: int,
    requirement_id: int,
    data: bytes | None,
    name: str = "",
    fields: dict | None = None,
) -> Credential:
    """Store the worker's document for one requirement, pending review, and evaluate again. Every
    problem with the stated facts and the file is reported at once (400, by field); a refused
    upload stores nothing."""
    membership = joined_membership(acting_user, membership_id)
    requirement = _upload_requirement(membership, requirement_id)
    errors = _Errors()
    facts = credential_facts(requirement, fields or {}, timezone.localdate(), errors)
    checked = _checked_file(data, name, errors)
    if errors:
        raise InvalidInput(
            "Some of the details or the file are not right: " + ", ".join(sorted(errors)) + ".",
            code="credential_invalid",
            fields=dict(errors),
        )
    organisation = membership.pool.organisation
    stored = file_store(acting_user=acting_user, checked=checked, owner_kind=POOL_CREDENTIAL_FILES)
    credential = Credential.objects.create(
        worker=acting_user,
        organisation=organisation,
        kind=KINDS[requirement.kind].credential_kind,
        file=stored,
        **facts,
    )
    audit_record(
        actor=acting_user,
        action="pool.credential.upload",
        target=organisation,
        summary=f"{credential.get_kind_display()} uploaded for review (credential {credential.pk})",
        membership=membership.pk,
        credential=credential.pk,
    )
    for other in PoolMembership.objects.filter(
        freelancer=acting_user, pool__organisation=organisation, status__in=JOINED
    ).values_list("pk", flat=True):
        membership_reevaluate(other)
    return credential
