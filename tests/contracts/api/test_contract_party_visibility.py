"""Parties to a contract keep seeing what it links to: its freelancer keeps the contract's job and its
files after their pool membership ended and the job closed; the client side (the roles that work with
the freelancer) opens the freelancer's profile whatever its visibility. API keys read what anonymous
visitors read: skills, cities, public jobs and their files. Each with a negative control — a stranger,
or someone with everything but the contract, still gets 404 — and a positive one."""

import pytest
from django.urls import reverse

from marketplace.accounts.models import FreelancerProfile, User
from marketplace.jobs.models import Job
from marketplace.jobs.services import job_attachment_add
from marketplace.organisations.models import Role
from marketplace.organisations.services.pools import pool_membership_end
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_organisation,
)
from tests.support.api import as_user, assert_error, make_api_key, with_key
from tests.support.visibility import HIDDEN, SEEN, sees_job

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- The freelancer keeps the contract's job ------------------------------------------------------


def test_a_hired_freelancer_keeps_the_pool_job_after_leaving_the_pool(media_root):
    organisation = make_organisation(name="Poster Ltd")
    owner = organisation.memberships.get().user
    hired_membership, other_membership = add_to_pool(organisation), add_to_pool(organisation)
    hired, other = hired_membership.freelancer, other_membership.freelancer
    job = make_job(organisation=organisation, visibility="pool", title="Pool insiders only")
    brief = job_attachment_add(acting_user=owner, job=job, data=PDF, name="brief.pdf")
    contract = make_contract(job=job, freelancer=hired)
    assert Job.objects.get(pk=job.pk).status == "closed"  # its one hire made: the job closed
    for membership in (hired_membership, other_membership):
        pool_membership_end(acting_user=owner, membership_id=membership.pk, reason="Project over")

    assert sees_job(hired, job, brief) == SEEN
    contract_api = as_user(hired).get(f"/api/contracts/{contract.pk}/")
    assert contract_api.status_code == 200
    assert contract_api.json()["job"]["id"] == job.pk
    # Out of the pool, without a contract: nothing left to see. Nor for a stranger.
    assert sees_job(other, job, brief) == HIDDEN
    assert sees_job(make_freelancer(), job, brief) == HIDDEN
    assert_error(as_user(other).get(f"/api/jobs/{job.pk}/"), 404, "job_not_found")


def test_a_hired_freelancer_keeps_an_invite_only_job_after_it_closed(media_root):
    client = make_client()
    job = make_job(client=client, visibility="invite_only")
    brief = job_attachment_add(acting_user=client, job=job, data=PDF, name="brief.pdf")
    # Hired without an invitation (a client may offer to anyone who proposed while it was public).
    Job.objects.filter(pk=job.pk).update(visibility="public")
    contract = make_contract(job=job)
    Job.objects.filter(pk=job.pk).update(visibility="invite_only")

    assert sees_job(contract.freelancer, job, brief) == SEEN
    assert sees_job(make_freelancer(), job, brief) == HIDDEN


# --- The client side opens the freelancer's profile -----------------------------------------------


@pytest.fixture
def contracted():
    """Buyer Ltd has a contract with Ana, whose profile is pool-only for another organisation's pool."""
    buyer, pool_holder = make_organisation(name="Buyer Ltd"), make_organisation(name="Pool Holder")
    ana = make_freelancer(full_name="Ana Costa")
    contract = make_contract(organisation=buyer, freelancer=ana)
    add_to_pool(pool_holder, ana)
    FreelancerProfile.objects.filter(user=ana).update(visibility="pool")
    return buyer, pool_holder, ana, contract


def profile_status(user, freelancer) -> tuple[int, int]:
    handle = freelancer.freelancer_profile.handle
    api = as_user(user)
    return (
        api.get(f"/api/profiles/{handle}/").status_code,
        api.get(reverse("frontend:freelancer", kwargs={"handle": handle})).status_code,
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OWNER, (200, 200)),
        (Role.HIRING_MANAGER, (200, 200)),
        (Role.FINANCE, (200, 200)),
        # They see the contract, but do not work with the person.
        (Role.VIEWER, (404, 404)),
        (Role.ADMIN, (404, 404)),
    ],
)
def test_the_contracting_organisation_opens_a_pool_only_profile_by_role(contracted, role, expected):
    buyer, _, ana, contract = contracted
    member = buyer.memberships.get().user if role == Role.OWNER else add_member(buyer, role)
    assert as_user(member).get(f"/api/contracts/{contract.pk}/").status_code == 200

    assert profile_status(member, ana) == expected


def test_nobody_else_opens_the_profile_and_the_pool_still_does(contracted):
    _, pool_holder, ana, _ = contracted
    assert profile_status(make_client(), ana) == (404, 404)
    assert profile_status(add_member(make_organisation(), Role.OWNER), ana) == (404, 404)
    assert profile_status(None, ana) == (404, 404)
    assert_error(
        as_user(make_client()).get(f"/api/profiles/{ana.freelancer_profile.handle}/"),
        404,
        "profile_not_found",
    )
    assert profile_status(add_member(pool_holder, Role.VIEWER), ana) == (200, 200)


def test_a_client_on_their_own_opens_the_profile_of_a_freelancer_who_stopped_freelancing():
    contract = make_contract(client=make_client())
    ana = contract.freelancer
    User.objects.filter(pk=ana.pk).update(is_freelancer=False)  # hidden from everyone else
    assert profile_status(make_client(), ana) == (404, 404)

    assert profile_status(contract.client, ana) == (200, 200)
    # A suspended account stays hidden, contract or not.
    User.objects.filter(pk=ana.pk).update(suspended_at="2026-01-01T00:00:00Z")
    assert profile_status(contract.client, ana) == (404, 404)


# --- API keys read what anonymous visitors read ---------------------------------------------------


def test_an_api_key_reads_skills_cities_and_public_jobs(media_root):
    own, other = make_organisation(name="Own"), make_organisation(name="Other")
    other_owner = other.memberships.get().user
    public = make_job(organisation=other, title="Public job")
    hidden = make_job(organisation=other, visibility="invite_only", title="Invited few")
    public_brief = job_attachment_add(acting_user=other_owner, job=public, data=PDF, name="brief.pdf")
    hidden_brief = job_attachment_add(acting_user=other_owner, job=hidden, data=PDF, name="secret.pdf")
    own_draft = make_job(organisation=own, publish=False, title="Our draft")
    api = with_key(as_user(None), make_api_key(own))

    skills = api.get("/api/skills/")
    assert skills.status_code == 200, skills.content
    assert skills.json()
    cities = api.get("/api/cities/", {"q": "Lis"})
    assert cities.status_code == 200, cities.content
    assert "Lisbon" in [city["name"] for city in cities.json()]
    found = api.get("/api/jobs/")
    assert found.status_code == 200, found.content
    assert [row["id"] for row in found.json()["results"]] == [public.pk]
    assert api.get(f"/api/jobs/{public.pk}/").json()["title"] == "Public job"
    assert api.get(f"/api/attachments/{public_brief.pk}/file/").status_code == 200
    assert api.get(f"/api/jobs/{own_draft.pk}/").status_code == 200  # its own, every state, as before
    # What anonymous visitors cannot read, a key cannot either; nor another's job's lists.
    assert_error(api.get(f"/api/jobs/{hidden.pk}/"), 404, "job_not_found")
    assert_error(api.get(f"/api/attachments/{hidden_brief.pk}/file/"), 404, "attachment_not_found")
    assert_error(api.get(f"/api/jobs/{public.pk}/proposals/"), 404, "job_not_found")
    assert_error(api.post("/api/jobs/", {"title": "By key"}, format="json"), 403, "api_key_read_only")
