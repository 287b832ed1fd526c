"""Object factories shared by the tests (factory_boy), built through the services where the
services add rows of their own (profiles, memberships and their permissions, pools)."""

from itertools import count

import factory
from allauth.account.models import EmailAddress

from marketplace.accounts.models import User
from marketplace.accounts.services.onboarding import account_onboard
from marketplace.organisations.models import Organisation, PoolMembership, Role
from marketplace.organisations.services.organisations import organisation_create
from marketplace.organisations.services.pools import pool_invite, pool_membership_accept

_serial = count(1)
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """allauth requires a verified address to log in; pass verified=False for a fresh sign-up."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def make_user(*, staff: bool = False, freelancer: bool = False, client: bool = False, **fields) -> User:
    user = UserFactory(is_staff=staff, **fields)
    if freelancer or client:
        account_onboard(
            user=user,
            full_name=user.full_name,
            is_client=client,
            is_freelancer=freelancer,
            accepted_terms=True,
        )
    return user


def make_freelancer(**fields) -> User:
    return make_user(freelancer=True, **fields)


def make_client(**fields) -> User:
    return make_user(client=True, **fields)


def make_organisation(*, owner: User | None = None, name: str | None = None) -> Organisation:
    owner = owner or make_client()
    return organisation_create(acting_user=owner, name=name or f"Organisation {next(_serial)}")


def add_member(organisation: Organisation, role: str = Role.VIEWER, user: User | None = None) -> User:
    """Add a member the way production does: an invitation accepted by the invitee."""
    from marketplace.organisations.services.organisations import invitation_accept, invitation_create

    user = user or make_user()
    owner = organisation.memberships.filter(role=Role.OWNER).first().user
    invitation = invitation_create(acting_user=owner, organisation=organisation, email=user.email, role=role)
    invitation_accept(acting_user=user, token=invitation.token)
    return user


def add_to_pool(organisation: Organisation, freelancer: User | None = None) -> PoolMembership:
    freelancer = freelancer or make_freelancer()
    owner = organisation.memberships.filter(role=Role.OWNER).first().user
    membership = pool_invite(acting_user=owner, organisation=organisation, freelancer_email=freelancer.email)
    return pool_membership_accept(acting_user=freelancer, membership_id=membership.pk)


# Jobs, proposals, offers, contracts — through the services, so every status change has its row.

JOB_FIELDS = {
    "title": "Build a booking page",
    "description": "We need a booking page for our yoga studio, with a calendar and reminders.",
    "category": "web",
    "skills": [],
    "budget_type": "fixed",
    "currency": "USD",
    "budget_minor": 150_000,
    "duration": "weeks",
    "experience_level": "intermediate",
    "location_type": "remote",
    "visibility": "public",
}


def make_job(
    *, client: User | None = None, organisation: Organisation | None = None, publish: bool = True, **fields
):
    from marketplace.jobs.services import job_create

    if client is None:
        client = (
            organisation.memberships.filter(role=Role.OWNER).first().user if organisation else make_client()
        )
    return job_create(
        acting_user=client, organisation=organisation, fields={**JOB_FIELDS, **fields}, publish=publish
    )


def make_proposal(
    job, *, freelancer: User | None = None, amount_minor: int = 140_000, milestones=None, **fields
):
    from marketplace.jobs.services import proposal_submit

    freelancer = freelancer or make_freelancer()
    return proposal_submit(
        acting_user=freelancer,
        job=job,
        cover_letter=fields.pop(
            "cover_letter", "I have built many booking pages; here is how I would do yours."
        ),
        amount_minor=amount_minor,
        milestones=milestones,
        duration=fields.pop("duration", "weeks"),
    )


def make_offer(proposal, *, acting_user: User | None = None, **terms):
    from marketplace.jobs.services import offer_send

    return offer_send(acting_user=acting_user or proposal.job.client, proposal=proposal, **terms)


def make_hourly_contract(
    *,
    rate_minor: int = 5_000,
    cap: int | None = 40,
    client: User | None = None,
    organisation: Organisation | None = None,
    freelancer: User | None = None,
    timezone: str | None = None,
    **job_fields,
):
    """An active hourly contract through the real hiring path, at ``rate_minor`` an hour with a weekly
    cap of ``cap`` hours (None: no cap); the freelancer's clock is ``timezone`` (an IANA name) when
    given."""
    from marketplace.contracts.models import Contract
    from marketplace.contracts.services import offer_accept

    job_fields = {
        "budget_type": "hourly",
        "hourly_min_minor": min(4_000, rate_minor),
        "hourly_max_minor": max(8_000, rate_minor),
        "budget_minor": None,
        **job_fields,
    }
    job = make_job(client=client, organisation=organisation, **job_fields)
    freelancer = freelancer or make_freelancer()
    if timezone:
        freelancer.timezone = timezone
        freelancer.save(update_fields=["timezone"])
    proposal = make_proposal(job, freelancer=freelancer, amount_minor=rate_minor)
    contract = offer_accept(acting_user=freelancer, offer=make_offer(proposal, weekly_hour_cap=cap or 40))
    if cap is None:
        Contract.objects.filter(pk=contract.pk).update(weekly_hour_cap=None)
        contract.refresh_from_db()
    return contract


def make_contract(
    job=None,
    *,
    client: User | None = None,
    freelancer: User | None = None,
    organisation: Organisation | None = None,
    milestones=None,
    **job_fields,
):
    """The tests' one contract builder, through the real hiring path: a job (``job``, or one posted
    with ``job_fields``), a proposal, an offer of its terms, accepted. ``milestones``: a fixed-price
    schedule of (title, amount) pairs or bare amounts (titled "Part 1", "Part 2"…); None leaves the
    proposal's default terms."""
    from marketplace.contracts.services import offer_accept

    parts = None
    if milestones is not None:
        parts = [
            {"title": f"Part {n}", "amount_minor": item}
            if isinstance(item, int)
            else {"title": item[0], "amount_minor": item[1]}
            for n, item in enumerate(milestones, start=1)
        ]
        job_fields.setdefault("budget_minor", sum(part["amount_minor"] for part in parts))
    job = job or make_job(client=client, organisation=organisation, **job_fields)
    amount = sum(part["amount_minor"] for part in parts) if parts else 140_000
    proposal = make_proposal(job, freelancer=freelancer, amount_minor=amount, milestones=parts)
    return offer_accept(acting_user=proposal.freelancer, offer=make_offer(proposal))
