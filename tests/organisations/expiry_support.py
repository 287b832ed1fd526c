"""Members of the NE Cabling T1 pool meeting every rule, for the expiry tests (the sweep, pool jobs,
the race)."""

from datetime import date

from marketplace.organisations.models import AgreementSignature, PoolMembership

from .pools_support import city, credential, join, ne_cabling


def meets_ne_cabling(
    membership: PoolMembership, *, insurance_expires_on=date(2027, 6, 1), checked_on=date(2026, 12, 1)
):
    """Everything scenario 1's pool asks, verified; the insurance lapses on ``insurance_expires_on``,
    the background check (done on ``checked_on``) a year after that day."""
    worker, organisation = membership.freelancer, membership.pool.organisation
    profile = worker.freelancer_profile
    profile.city = city("Cambridge")
    profile.save(update_fields=["city"])
    credential(worker, organisation, "tax_form", form="w9")
    credential(
        worker,
        organisation,
        "insurance",
        coverage="general_liability",
        per_occurrence_minor=100_000_000,
        aggregate_minor=200_000_000,
        expires_on=insurance_expires_on,
    )
    credential(worker, organisation, "background_check", issued_on=checked_on)
    agreement = membership.pool.requirements.get(kind="agreement")
    AgreementSignature.objects.create(
        worker=worker, requirement=agreement, version=3, title="t", text="t", signed_name="W"
    )


def active_member(pool=None, **meets) -> PoolMembership:
    """An active member of ``pool`` (default: a new NE Cabling T1 pool) meeting every rule."""
    membership = join(pool or ne_cabling(), status=PoolMembership.Status.ACTIVE)
    meets_ne_cabling(membership, **meets)
    return membership
