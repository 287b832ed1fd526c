"""Builders for the manager-side pool tests: a member of the NE Cabling pool who meets it (with
insurance of a chosen amount), and the organisation's roles."""

from datetime import date

from marketplace.organisations.models import AgreementSignature, Credential, PoolMembership
from tests.factories import add_member

from .pools_support import city, credential

ROLES = ("owner", "admin", "hiring_manager", "finance", "viewer")


def located(worker, name="Cambridge"):
    profile = worker.freelancer_profile
    profile.city = city(name)
    profile.save(update_fields=["city"])
    return worker


def meets_ne_cabling(
    membership: PoolMembership,
    *,
    insurance_minor=100_000_000,
    expires_on=date(2030, 6, 1),
    status=Credential.Status.VERIFIED,
) -> Credential:
    """Everything the NE Cabling pool asks; the credentials in ``status``. Returns the insurance."""
    worker, organisation = membership.freelancer, membership.pool.organisation
    located(worker)
    credential(worker, organisation, "tax_form", form="w9", status=status)
    insurance = credential(
        worker,
        organisation,
        "insurance",
        coverage="general_liability",
        per_occurrence_minor=insurance_minor,
        aggregate_minor=200_000_000,
        expires_on=expires_on,
        status=status,
    )
    credential(worker, organisation, "background_check", issued_on=date.today().replace(day=1), status=status)
    agreement = membership.pool.requirements.get(kind="agreement")
    AgreementSignature.objects.get_or_create(
        worker=worker,
        requirement=agreement,
        version=3,
        defaults={"title": "Contractor agreement", "text": "I agree.", "signed_name": worker.full_name},
    )
    return insurance


def staff_of(organisation) -> dict:
    """One user per role of ``organisation`` (its owner included)."""
    people = {"owner": organisation.memberships.get(role="owner").user}
    for role in ROLES[1:]:
        people[role] = add_member(organisation, role)
    return people
