"""An organisation's API key reads its own jobs and what hangs off them, nothing else, and never writes."""

import pytest

from marketplace.contracts.services import offer_accept
from marketplace.jobs.models import JobTemplate
from marketplace.jobs.services import job_invite, job_template_save
from tests.factories import make_freelancer, make_job, make_offer, make_organisation, make_proposal
from tests.support.api import as_user, assert_error, make_api_key, with_key

from .helpers import snapshot

pytestmark = pytest.mark.django_db


def _hiring(organisation) -> dict:
    """An organisation's job with an invitation, a proposal, an offer, a contract and a template."""
    owner = organisation.memberships.get().user
    job = make_job(organisation=organisation, hires_wanted=2)
    invitation = job_invite(
        acting_user=owner, job=job, freelancer_handle=make_freelancer().freelancer_profile.handle
    )
    proposal = make_proposal(job)
    offer = make_offer(proposal)
    contract = offer_accept(acting_user=proposal.freelancer, offer=offer)
    pending = make_offer(make_proposal(job))
    template = job_template_save(acting_user=owner, job=job, name="Again")
    return {
        "job": job,
        "invitation": invitation,
        "proposal": proposal,
        "offer": offer,
        "pending": pending,
        "contract": contract,
        "template": template,
    }


def _detail_urls(rows: dict) -> list[str]:
    return [
        f"/api/jobs/{rows['job'].pk}/",
        f"/api/proposals/{rows['proposal'].pk}/",
        f"/api/offers/{rows['offer'].pk}/",
        f"/api/contracts/{rows['contract'].pk}/",
        f"/api/job-templates/{rows['template'].pk}/",
    ]


@pytest.fixture
def orgs():
    own, other = make_organisation(name="Own"), make_organisation(name="Other")
    return (own, _hiring(own)), (other, _hiring(other))


def test_a_key_reads_its_organisations_rows(orgs):
    (own, rows), _ = orgs
    api = with_key(as_user(None), make_api_key(own))
    for url in _detail_urls(rows):
        response = api.get(url)
        assert response.status_code == 200, (url, response.content)
    lists = {
        "/api/jobs/mine/": {rows["job"].pk},
        f"/api/jobs/{rows['job'].pk}/proposals/": {rows["proposal"].pk, rows["pending"].proposal_id},
        f"/api/jobs/{rows['job'].pk}/invitations/": {rows["invitation"].pk},
        "/api/offers/": {rows["offer"].pk, rows["pending"].pk},
        "/api/contracts/": {rows["contract"].pk},
        "/api/job-templates/": {rows["template"].pk},
    }
    for url, ids in lists.items():
        assert {row["id"] for row in api.get(url).json()["results"]} == ids, url
    assert api.get(f"/api/contracts/{rows['contract'].pk}/").json()["history"]


def test_another_organisations_rows_are_not_found_for_a_key(orgs):
    (own, _), (_, theirs) = orgs
    api = with_key(as_user(None), make_api_key(own))
    codes = ["proposal_not_found", "offer_not_found", "contract_not_found", "template_not_found"]
    job_url, *urls = _detail_urls(theirs)
    for url, code in zip(urls, codes, strict=True):
        assert_error(api.get(url), 404, code)
    assert_error(api.get(f"/api/jobs/{theirs['job'].pk}/proposals/"), 404, "job_not_found")
    assert api.get(job_url).status_code == 200  # their job is public: what anyone reads, a key reads


def test_a_personal_template_is_not_the_organisations(orgs):
    (own, rows), _ = orgs
    personal = JobTemplate.objects.create(owner=rows["job"].client, name="Mine", fields={})
    assert_error(
        with_key(as_user(None), make_api_key(own)).get(f"/api/job-templates/{personal.pk}/"),
        404,
        "template_not_found",
    )


@pytest.mark.parametrize("url", ["/api/proposals/", "/api/job-invitations/"])
def test_a_persons_own_lists_are_not_for_keys(orgs, url):
    (own, _), _ = orgs
    assert_error(with_key(as_user(None), make_api_key(own)).get(url), 403, "api_key_not_allowed")


def test_a_key_cannot_write(orgs):
    (own, rows), _ = orgs
    api = with_key(as_user(None), make_api_key(own))
    job, proposal, pending = rows["job"].pk, rows["proposal"].pk, rows["pending"].pk
    before = snapshot()
    writes = [
        api.post("/api/jobs/", {"title": "By key"}, format="json"),
        api.patch(f"/api/jobs/{job}/", {"title": "Renamed by key"}, format="json"),
        api.post(f"/api/jobs/{job}/publish/"),
        api.post(f"/api/jobs/{job}/close/"),
        api.post(f"/api/jobs/{job}/save-as-template/", {"name": "x"}, format="json"),
        api.post(f"/api/jobs/{job}/attachments/"),
        api.post(f"/api/jobs/{job}/invitations/", {"freelancer_handle": "x"}, format="json"),
        api.post(f"/api/jobs/{job}/proposals/", {}, format="json"),
        api.post(f"/api/job-invitations/{rows['invitation'].pk}/decline/"),
        api.patch(f"/api/proposals/{proposal}/", {}, format="json"),
        api.post(f"/api/proposals/{proposal}/shortlist/"),
        api.post(f"/api/proposals/{proposal}/offers/", {}, format="json"),
        api.post("/api/offers/fee-preview/", {"currency": "EUR", "amount_minor": 1}, format="json"),
        api.post(f"/api/offers/{pending}/withdraw/"),
        api.post(f"/api/offers/{pending}/accept/"),
        api.post(f"/api/contracts/{rows['contract'].pk}/cancel/", {"reason": "By key"}, format="json"),
        api.delete(f"/api/job-templates/{rows['template'].pk}/"),
        api.delete("/api/attachments/1/"),
    ]
    for response in writes:
        assert_error(response, 403, "api_key_read_only")
    assert snapshot() == before
    assert JobTemplate.objects.filter(pk=rows["template"].pk).exists()
