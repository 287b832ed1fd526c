"""Illegal moves and bad requests answer 4xx with a code and change nothing (never a 500)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.jobs.services import offer_withdraw, proposal_withdraw
from tests.factories import (
    JOB_FIELDS,
    add_member,
    make_client,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)
from tests.support.api import as_user, assert_error

from .helpers import snapshot

pytestmark = pytest.mark.django_db


def _refused(response, status: int, code: str, before: dict) -> None:
    assert_error(response, status, code)
    assert snapshot() == before


def test_accepting_the_offer_of_a_withdrawn_proposal_is_refused():
    proposal = make_proposal(make_job())
    offer = make_offer(proposal)
    offer_withdraw(acting_user=proposal.job.client, offer=offer)
    proposal_withdraw(acting_user=proposal.freelancer, proposal=proposal)
    before = snapshot()
    freelancer = as_user(proposal.freelancer)
    _refused(freelancer.post(f"/api/offers/{offer.pk}/accept/"), 409, "illegal_transition", before)
    client = as_user(proposal.job.client)
    _refused(
        client.post(f"/api/proposals/{proposal.pk}/offers/", {}, format="json"),
        409,
        "illegal_transition",
        before,
    )
    _refused(client.post(f"/api/proposals/{proposal.pk}/shortlist/"), 409, "illegal_transition", before)


def test_sorting_a_proposal_while_its_offer_awaits_an_answer_is_refused():
    proposal = make_proposal(make_job())
    make_offer(proposal)
    before = snapshot()
    client = as_user(proposal.job.client)
    for move in ("shortlist", "archive", "decline"):
        _refused(client.post(f"/api/proposals/{proposal.pk}/{move}/"), 409, "offer_pending", before)


def test_an_offer_on_a_closed_job_is_refused():
    job = make_job()
    proposal = make_proposal(job)
    offer = make_offer(proposal)
    client = as_user(job.client)
    assert client.post(f"/api/jobs/{job.pk}/close/", {}, format="json").status_code == 200
    before = snapshot()
    _refused(
        client.post(f"/api/proposals/{proposal.pk}/offers/", {}, format="json"), 409, "job_not_open", before
    )
    # Closing withdrew the offer that was out; accepting it now is an illegal move.
    _refused(
        as_user(proposal.freelancer).post(f"/api/offers/{offer.pk}/accept/"),
        409,
        "illegal_transition",
        before,
    )
    _refused(client.post(f"/api/jobs/{job.pk}/close/", {}, format="json"), 409, "illegal_transition", before)
    _refused(
        client.patch(f"/api/jobs/{job.pk}/", {"title": "A new title"}, format="json"),
        409,
        "job_not_editable",
        before,
    )
    _refused(
        as_user(make_freelancer()).post(
            f"/api/jobs/{job.pk}/proposals/",
            {
                "cover_letter": "A cover letter that is long enough.",
                "amount_minor": 1_000,
                "duration": "weeks",
            },
            format="json",
        ),
        409,
        "job_not_open",
        before,
    )


def test_acting_on_someone_elses_job_is_refused():
    job = make_job()
    proposal = make_proposal(job)
    offer = make_offer(make_proposal(job))
    stranger = as_user(make_client())
    freelancer = make_freelancer()
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    before = snapshot()
    for response in [
        stranger.patch(f"/api/jobs/{job.pk}/", {"title": "Taken over"}, format="json"),
        stranger.post(f"/api/jobs/{job.pk}/close/", {}, format="json"),
        stranger.post(f"/api/jobs/{job.pk}/save-as-template/", {"name": "Mine now"}, format="json"),
        stranger.post(f"/api/jobs/{job.pk}/attachments/", {"file": pdf}),
        stranger.post(
            f"/api/jobs/{job.pk}/invitations/",
            {"freelancer_handle": freelancer.freelancer_profile.handle},
            format="json",
        ),
    ]:
        _refused(response, 403, "not_job_owner", before)
    # Their proposals and offers are not even visible to a stranger.
    for response in [
        stranger.post(f"/api/proposals/{proposal.pk}/shortlist/"),
        stranger.post(f"/api/proposals/{proposal.pk}/decline/", {"message": "No"}, format="json"),
        stranger.post(f"/api/proposals/{proposal.pk}/offers/", {}, format="json"),
    ]:
        _refused(response, 404, "proposal_not_found", before)
    for response in [
        stranger.post(f"/api/offers/{offer.pk}/withdraw/", {}, format="json"),
        as_user(freelancer).post(f"/api/offers/{offer.pk}/accept/"),
    ]:
        _refused(response, 404, "offer_not_found", before)
    # The job's own freelancer may not act for the client, nor the client for the freelancer.
    _refused(
        as_user(proposal.freelancer).post(f"/api/proposals/{proposal.pk}/shortlist/"),
        403,
        "not_job_owner",
        before,
    )
    _refused(as_user(job.client).post(f"/api/offers/{offer.pk}/accept/"), 403, "not_the_freelancer", before)
    _refused(
        as_user(job.client).post(f"/api/proposals/{proposal.pk}/withdraw/", {}, format="json"),
        403,
        "not_the_freelancer",
        before,
    )


def test_an_organisation_member_needs_the_role_for_it():
    organisation = make_organisation()
    job = make_job(organisation=organisation)
    proposal = make_proposal(job)
    viewer = as_user(add_member(organisation, "viewer"))
    before = snapshot()
    assert viewer.get(f"/api/jobs/{job.pk}/proposals/").json()["count"] == 1  # any member reads
    _refused(viewer.post(f"/api/proposals/{proposal.pk}/shortlist/"), 403, "role_forbids", before)
    _refused(
        viewer.post(f"/api/proposals/{proposal.pk}/offers/", {}, format="json"), 403, "role_forbids", before
    )
    _refused(
        viewer.post("/api/jobs/", {**JOB_FIELDS, "organisation": organisation.slug}, format="json"),
        403,
        "role_forbids",
        before,
    )
    _refused(
        as_user(make_client()).post(
            "/api/jobs/", {**JOB_FIELDS, "organisation": organisation.slug}, format="json"
        ),
        403,
        "not_a_member",
        before,
    )


def test_a_second_proposal_on_the_same_job_is_refused():
    proposal = make_proposal(make_job())
    before = snapshot()
    response = as_user(proposal.freelancer).post(
        f"/api/jobs/{proposal.job_id}/proposals/",
        {"cover_letter": "Another go at the same job, please.", "amount_minor": 1_000, "duration": "weeks"},
        format="json",
    )
    _refused(response, 409, "already_proposed", before)


def test_the_daily_proposal_cap_answers_429(settings):
    settings.PROPOSAL_DAILY_CAP = 2
    freelancer = make_freelancer()
    api = as_user(freelancer)
    jobs = [make_job() for _ in range(3)]
    body = {"cover_letter": "A cover letter that is long enough.", "amount_minor": 1_000, "duration": "weeks"}
    for job in jobs[:2]:
        assert api.post(f"/api/jobs/{job.pk}/proposals/", body, format="json").status_code == 201
    before = snapshot()
    error = assert_error(
        api.post(f"/api/jobs/{jobs[2].pk}/proposals/", body, format="json"), 429, "daily_proposal_cap"
    )
    assert "2 proposals today" in error["message"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "url", "code"),
    [
        ("get", "/api/jobs/999999/", "job_not_found"),
        ("patch", "/api/jobs/999999/", "job_not_found"),
        ("post", "/api/jobs/999999/publish/", "job_not_found"),
        ("get", "/api/jobs/999999/proposals/", "job_not_found"),
        ("get", "/api/jobs/999999/invitations/", "job_not_found"),
        ("get", "/api/proposals/999999/", "proposal_not_found"),
        ("post", "/api/proposals/999999/withdraw/", "proposal_not_found"),
        ("get", "/api/offers/999999/", "offer_not_found"),
        ("post", "/api/offers/999999/accept/", "offer_not_found"),
        ("get", "/api/contracts/999999/", "contract_not_found"),
        ("post", "/api/contracts/999999/cancel/", "contract_not_found"),
        ("get", "/api/job-templates/999999/", "template_not_found"),
        ("delete", "/api/attachments/999999/", "attachment_not_found"),
        ("post", "/api/job-invitations/999999/decline/", "invitation_not_found"),
        ("get", "/api/jobs/99999999999999999999/", "job_not_found"),
    ],
)
def test_unknown_ids_answer_404_with_a_code(method, url, code):
    api = as_user(make_client())
    response = (
        getattr(api, method)(url, {"reason": "Because I say so"}, format="json")
        if method == "post"
        else getattr(api, method)(url)
    )
    assert_error(response, 404, code)


def test_bad_input_answers_400_with_fields_and_stores_nothing():
    client = as_user(make_client())
    job = make_job()
    owner = as_user(job.client)
    freelancer = as_user(make_freelancer())
    before = snapshot()
    error = assert_error(
        client.post("/api/jobs/", {"title": "Hi", "description": "short"}, format="json"), 400, "invalid"
    )
    assert {"category", "budget_type", "currency", "duration", "experience_level"} <= set(error["fields"])
    base = {
        "title": "A perfectly good title",
        "description": "A description long enough to pass the rules.",
        "category": "web",
        "budget_type": "hourly",
        "currency": "EUR",
        "duration": "weeks",
        "experience_level": "expert",
    }
    error = assert_error(
        client.post(
            "/api/jobs/", {**base, "hourly_min_minor": 2, "hourly_max_minor": 3_000_000_000}, format="json"
        ),
        400,
        "invalid_job",
    )
    assert set(error["fields"]) == {"hourly_max_minor"}  # beyond its 32-bit column: refused, not a 500
    assert_error(
        client.post("/api/jobs/", {**base, "city": 123456789, "location_type": "onsite"}, format="json"),
        400,
        "invalid",
    )
    assert_error(client.post("/api/jobs/", {**base, "skills": [2**40]}, format="json"), 400, "invalid")
    assert_error(client.post("/api/jobs/", {**base, "skills": [999_999]}, format="json"), 400, "invalid_job")
    assert_error(client.post("/api/jobs/", {**base, "currency": "XYZ"}, format="json"), 400, "invalid_job")
    assert_error(client.post("/api/jobs/", {**base, "visibility": "pool"}, format="json"), 400, "invalid_job")
    assert_error(
        client.post("/api/jobs/", {**base, "organisation": "no-such-org"}, format="json"),
        404,
        "organisation_not_found",
    )
    proposal_url = f"/api/jobs/{job.pk}/proposals/"
    letter = "A cover letter that is long enough."
    for body, code in [
        ({"cover_letter": letter, "amount_minor": "lots", "duration": "weeks"}, "invalid"),
        ({"cover_letter": letter, "amount_minor": 100, "duration": "weeks", "milestones": "all"}, "invalid"),
        (
            {
                "cover_letter": letter,
                "amount_minor": 1_000,
                "duration": "weeks",
                "milestones": [{"title": "A", "amount_minor": 600}],
            },
            "milestones_do_not_add_up",
        ),
        (
            {
                "cover_letter": letter,
                "amount_minor": 100,
                "duration": "weeks",
                "milestones": [{"title": "A", "amount_minor": -100}],
            },
            "invalid",
        ),
        ({"cover_letter": "Too short", "amount_minor": 10**30, "duration": "weeks"}, "invalid_proposal"),
    ]:
        assert_error(freelancer.post(proposal_url, body, format="json"), 400, code)
    for body in [
        {"currency": "EUR", "amount_minor": -5},
        {"currency": "EUR", "amount_minor": 5, "milestones": [{"title": "A", "amount_minor": 0}]},
        {"currency": "XYZ", "amount_minor": 500},
    ]:
        assert_error(owner.post("/api/offers/fee-preview/", body, format="json"), 400, "invalid")
    assert_error(
        owner.post(
            "/api/offers/fee-preview/",
            {"currency": "EUR", "amount_minor": 5, "organisation": make_organisation().slug},
            format="json",
        ),
        404,
        "organisation_not_found",
    )
    assert_error(client.get("/api/jobs/", {"budget_min": "cheap"}), 400, "invalid")
    error = assert_error(client.get("/api/jobs/", {"skills": "2000000000000"}), 400, "invalid")
    assert error["fields"]["skills"][0]["code"] == "invalid_choice"
    assert_error(client.get("/api/offers/", {"role": "boss"}), 400, "invalid")
    assert snapshot() == before


def test_refused_attachments_leave_no_row_and_no_file(media_root):
    job = make_job()
    owner = as_user(job.client)
    before = snapshot()
    svg = SimpleUploadedFile(
        "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    )
    assert_error(
        owner.post(f"/api/jobs/{job.pk}/attachments/", {"file": svg}), 415, "unsupported_attachment_type"
    )
    empty = SimpleUploadedFile("empty.pdf", b"")
    assert_error(owner.post(f"/api/jobs/{job.pk}/attachments/", {"file": empty}), 400, "empty_file")
    assert_error(owner.post(f"/api/jobs/{job.pk}/attachments/", {}, format="multipart"), 400, "invalid")
    assert snapshot() == before
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_anonymous_writes_answer_not_authenticated():
    job = make_job()
    anonymous = as_user(None)
    assert_error(anonymous.post("/api/jobs/", {}, format="json"), 403, "not_authenticated")
    assert_error(
        anonymous.post(f"/api/jobs/{job.pk}/proposals/", {}, format="json"), 403, "not_authenticated"
    )
    assert_error(anonymous.get("/api/jobs/mine/"), 403, "not_authenticated")
    assert_error(anonymous.get("/api/contracts/"), 403, "not_authenticated")


def test_who_may_not_act_hears_404_or_403_before_anything_about_the_body():
    """The job as the caller may see it (404), then the service's permission (403), then the body
    (400, or 415 for an upload sent as JSON): an empty JSON body, from each kind of caller."""
    organisation = make_organisation()
    viewer = add_member(organisation, "viewer")
    public = make_job(organisation=organisation)
    hidden = make_job(organisation=organisation, visibility="invite_only")
    proposal = make_proposal(public)
    outsider = make_freelancer()
    owner = organisation.memberships.get(role="owner").user
    before = snapshot()

    def post(user, url: str):
        return as_user(user).post(url, {}, format="json")

    for path, allowed in (
        ("save-as-template", 400),
        ("invitations", 400),
        ("attachments", 415),
    ):
        assert_error(post(outsider, f"/api/jobs/{hidden.pk}/{path}/"), 404, "job_not_found")
        assert_error(post(outsider, f"/api/jobs/{public.pk}/{path}/"), 403, "not_a_member")
        assert_error(post(viewer, f"/api/jobs/{public.pk}/{path}/"), 403, "role_forbids")
        assert post(owner, f"/api/jobs/{public.pk}/{path}/").status_code == allowed, path
    # Proposals: a freelancer account sends them (the organisation's owner is not one).
    assert_error(post(make_client(), f"/api/jobs/{hidden.pk}/proposals/"), 404, "job_not_found")
    assert_error(post(owner, f"/api/jobs/{public.pk}/proposals/"), 403, "not_a_freelancer")
    assert post(outsider, f"/api/jobs/{public.pk}/proposals/").status_code == 400
    # A proposal's file: 404 outside, 403 for the job's side, 415 (JSON, not multipart) for its freelancer.
    url = f"/api/proposals/{proposal.pk}/attachments/"
    assert_error(post(outsider, url), 404, "proposal_not_found")
    assert_error(post(owner, url), 403, "not_the_freelancer")
    assert post(proposal.freelancer, url).status_code == 415
    assert snapshot() == before
