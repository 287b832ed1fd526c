"""Invite-only and pool jobs never reach anyone outside their audience through the API — not in
find-work (rows or count), not by id, not through their sub-resources — and each reaches its own
audience (the positive controls)."""

import pytest

from marketplace.jobs.services import job_invite
from marketplace.organisations.services.pools import pool_invite
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_freelancer,
    make_job,
    make_organisation,
    make_user,
)
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

EVERYONE = {"public"}
CLIENT_SIDE = {"public", "invite_only", "pool", "draft"}


@pytest.fixture
def world():
    organisation = make_organisation(name="Poster")
    owner = organisation.memberships.get().user
    invited, pooled = make_freelancer(), make_freelancer()
    add_to_pool(organisation, pooled)
    pool_invited = make_freelancer()  # invited to the pool, not yet in it
    pool_invite(acting_user=owner, organisation=organisation, freelancer_email=pool_invited.email)
    jobs = {
        "public": make_job(organisation=organisation, title="Public job for everyone"),
        "invite_only": make_job(organisation=organisation, visibility="invite_only", title="Invite-only job"),
        "pool": make_job(organisation=organisation, visibility="pool", title="Pool job for insiders"),
        "draft": make_job(organisation=organisation, publish=False, title="Draft job for nobody"),
    }
    job_invite(
        acting_user=owner, job=jobs["invite_only"], freelancer_handle=invited.freelancer_profile.handle
    )
    other_organisation = make_organisation(name="Other")
    add_to_pool(other_organisation, make_freelancer())
    viewers = {
        "anonymous": (None, EVERYONE),
        "another freelancer": (make_freelancer(), EVERYONE),
        "a freelancer only invited to the pool": (pool_invited, EVERYONE),
        "another client": (make_client(), EVERYONE),
        "a member of another organisation": (add_member(other_organisation, "admin"), EVERYONE),
        "the invited freelancer": (invited, {"public", "invite_only"}),
        "the pool freelancer": (pooled, {"public", "pool"}),
        "the organisation's owner": (owner, CLIENT_SIDE),
        "a viewer of the organisation": (add_member(organisation, "viewer"), CLIENT_SIDE),
        "staff": (make_user(staff=True), CLIENT_SIDE),
    }
    return jobs, viewers, organisation, other_organisation


VIEWERS = [
    "anonymous",
    "another freelancer",
    "a freelancer only invited to the pool",
    "another client",
    "a member of another organisation",
    "the invited freelancer",
    "the pool freelancer",
    "the organisation's owner",
    "a viewer of the organisation",
    "staff",
]


@pytest.mark.parametrize("who", VIEWERS)
def test_find_work_lists_and_counts_only_what_the_viewer_may_see(world, who):
    jobs, viewers, _, _ = world
    user, visible = viewers[who]
    api = as_user(user)
    open_visible = {jobs[name].pk for name in visible - {"draft"}}
    body = api.get("/api/jobs/").json()
    assert {row["id"] for row in body["results"]} == open_visible
    assert body["count"] == len(open_visible)
    # Filters and search narrow what is visible; they never widen it.
    for params in [{"q": "job"}, {"budget_type": "fixed"}, {"category": "web"}, {"budget_min": 1}]:
        body = api.get("/api/jobs/", params).json()
        assert (body["count"], {row["id"] for row in body["results"]}) == (len(open_visible), open_visible)


@pytest.mark.parametrize("who", VIEWERS)
def test_a_job_by_id_is_there_for_its_audience_and_404_for_everyone_else(world, who):
    jobs, viewers, _, _ = world
    user, visible = viewers[who]
    api = as_user(user)
    for name, job in jobs.items():
        response = api.get(f"/api/jobs/{job.pk}/")
        if name in visible:
            assert response.status_code == 200, (name, response.content)
            assert response.json()["id"] == job.pk
        else:
            assert_error(response, 404, "job_not_found")
            if user is not None:
                for sub in ("proposals", "invitations"):
                    assert_error(api.get(f"/api/jobs/{job.pk}/{sub}/"), 404, "job_not_found")
                assert_error(
                    api.post(
                        f"/api/jobs/{job.pk}/proposals/",
                        {"cover_letter": "Let me in, I can do it.", "amount_minor": 10, "duration": "weeks"},
                        format="json",
                    ),
                    404,
                    "job_not_found",
                )


def test_the_invited_and_pool_freelancers_can_propose_where_they_see(world):
    jobs, viewers, _, _ = world
    body = {"cover_letter": "I would love to do this job.", "amount_minor": 10_000, "duration": "weeks"}
    for who, name in [("the invited freelancer", "invite_only"), ("the pool freelancer", "pool")]:
        response = as_user(viewers[who][0]).post(f"/api/jobs/{jobs[name].pk}/proposals/", body, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["is_invited"] is (name == "invite_only")


def test_an_api_key_reads_its_own_organisations_jobs_and_nothing_else(world):
    jobs, _, organisation, other_organisation = world
    own = with_key(as_user(None), make_api_key(organisation))
    body = own.get("/api/jobs/mine/").json()
    assert {row["id"] for row in body["results"]} == {job.pk for job in jobs.values()}
    for job in jobs.values():
        assert own.get(f"/api/jobs/{job.pk}/").status_code == 200
        assert own.get(f"/api/jobs/{job.pk}/proposals/").status_code == 200
    foreign = with_key(as_user(None), make_api_key(other_organisation))
    assert foreign.get("/api/jobs/mine/").json()["count"] == 0
    for name, job in jobs.items():
        if name in EVERYONE:  # what anonymous visitors read, a key reads too
            assert foreign.get(f"/api/jobs/{job.pk}/").status_code == 200
        else:
            assert_error(foreign.get(f"/api/jobs/{job.pk}/"), 404, "job_not_found")
        assert_error(foreign.get(f"/api/jobs/{job.pk}/invitations/"), 404, "job_not_found")
    # Find work with a key is the anonymous visitor's: the public jobs, not the organisation's others.
    assert {row["id"] for row in own.get("/api/jobs/").json()["results"]} == {jobs["public"].pk}
