"""Invite-only and pool jobs never reach anyone outside their audience — not in the lists
(selectors.jobs_visible_to / jobs_open_for, the find-work page and its count), not by id
(selectors.job_for_viewer, the job's page) — and drafts reach only the client side. The positive
controls: each job reaches each member of its audience the same ways.

(The API's own visibility tests are in tests/jobs/api/test_visibility.py.)
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from marketplace.core.exceptions import NotFound
from marketplace.jobs import selectors
from marketplace.jobs.services import job_invitation_decline, job_invite
from marketplace.organisations.models import Role
from marketplace.organisations.services.pools import pool_invite, pool_membership_end
from search.services.indexing import index_rebuild
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_freelancer,
    make_job,
    make_organisation,
    make_user,
)

pytestmark = pytest.mark.django_db

ORG_JOBS = {"public", "invite_only", "pool", "draft"}
SOLO_JOBS = {"solo_invite_only", "solo_draft"}
EVERY_JOB = ORG_JOBS | SOLO_JOBS
ORGANISATION_SIDE = ORG_JOBS

# Who sees which jobs. Everyone sees the public one; nobody outside a job's audience sees anything else.
AUDIENCES = {
    "anonymous": {"public"},
    "a freelancer nobody invited": {"public"},
    "a freelancer only invited to the pool": {"public"},
    "a freelancer whose pool membership ended": {"public"},
    "a freelancer in another organisation's pool": {"public"},
    "another client": {"public"},
    "a member of another organisation": {"public"},
    "the invited freelancer": {"public", "invite_only", "solo_invite_only"},
    "a freelancer who declined the invitations": {"public"},
    "the pool freelancer": {"public", "pool"},
    "the organisation's owner": ORGANISATION_SIDE,
    "an admin of the organisation": ORGANISATION_SIDE,
    "a hiring manager of the organisation": ORGANISATION_SIDE,
    "a finance member of the organisation": ORGANISATION_SIDE,
    "a viewer of the organisation": ORGANISATION_SIDE,
    "the client who posted on their own": {"public", "solo_invite_only", "solo_draft"},
    "staff": EVERY_JOB,
}


@pytest.fixture
def world():
    organisation = make_organisation(name="Poster Ltd")
    owner = organisation.memberships.get().user
    invited, pooled, ended = make_freelancer(), make_freelancer(), make_freelancer()
    add_to_pool(organisation, pooled)
    ended_membership = add_to_pool(organisation, ended)
    pool_invited = make_freelancer()
    pool_invite(acting_user=owner, organisation=organisation, freelancer_email=pool_invited.email)
    solo = make_client()
    jobs = {
        "public": make_job(organisation=organisation, title="Public job for everyone"),
        "invite_only": make_job(organisation=organisation, visibility="invite_only", title="Invited few"),
        "pool": make_job(organisation=organisation, visibility="pool", title="Pool insiders only"),
        "draft": make_job(organisation=organisation, publish=False, title="Unpublished org draft"),
        "solo_invite_only": make_job(client=solo, visibility="invite_only", title="Solo invited few"),
        "solo_draft": make_job(client=solo, publish=False, title="Unpublished solo draft"),
    }
    declined = make_freelancer()
    for name, inviter in (("invite_only", owner), ("solo_invite_only", solo)):
        job_invite(acting_user=inviter, job=jobs[name], freelancer_handle=invited.freelancer_profile.handle)
        invitation = job_invite(
            acting_user=inviter, job=jobs[name], freelancer_handle=declined.freelancer_profile.handle
        )
        job_invitation_decline(acting_user=declined, invitation=invitation, reason="Fully booked")
    # The positive control for the ended membership: while it lasted, the pool job was theirs to see.
    assert selectors.jobs_visible_to(ended).filter(pk=jobs["pool"].pk).exists()
    pool_membership_end(acting_user=owner, membership_id=ended_membership.pk, reason="Project over")

    other_organisation = make_organisation(name="Other Ltd")
    viewers = {
        "anonymous": None,
        "a freelancer nobody invited": make_freelancer(),
        "a freelancer only invited to the pool": pool_invited,
        "a freelancer whose pool membership ended": ended,
        "a freelancer in another organisation's pool": add_to_pool(other_organisation).freelancer,
        "another client": make_client(),
        "a member of another organisation": add_member(other_organisation, Role.OWNER),
        "the invited freelancer": invited,
        "a freelancer who declined the invitations": declined,
        "the pool freelancer": pooled,
        "the organisation's owner": owner,
        "an admin of the organisation": add_member(organisation, Role.ADMIN),
        "a hiring manager of the organisation": add_member(organisation, Role.HIRING_MANAGER),
        "a finance member of the organisation": add_member(organisation, Role.FINANCE),
        "a viewer of the organisation": add_member(organisation, Role.VIEWER),
        "the client who posted on their own": solo,
        "staff": make_user(staff=True),
    }
    return jobs, viewers


def _pks(jobs: dict, names) -> set[int]:
    return {jobs[name].pk for name in names}


def _check_selector_lists(jobs, viewer, visible) -> None:
    ours = _pks(jobs, EVERY_JOB)
    assert set(selectors.jobs_visible_to(viewer).values_list("pk", flat=True)) & ours == _pks(jobs, visible)
    expected_open = _pks(jobs, _open(visible))
    open_jobs = selectors.jobs_open_for(viewer)
    assert set(open_jobs.values_list("pk", flat=True)) == expected_open
    assert open_jobs.count() == len(expected_open)  # nothing else exists: the count is the viewer's


def _check_selector_by_id(jobs, viewer, visible) -> None:
    for name, job in jobs.items():
        if name in visible:
            assert selectors.job_for_viewer(pk=job.pk, viewer=viewer).pk == job.pk
        else:
            with pytest.raises(NotFound) as hidden:
                selectors.job_for_viewer(pk=job.pk, viewer=viewer)
            assert (hidden.value.code, hidden.value.message) == ("job_not_found", "No such job.")


def _check_find_work_page(jobs, client, visible) -> None:
    visible_open = _open(visible)
    index_rebuild(index="jobs")
    response = client.get(reverse("frontend:find_work"))
    assert response.status_code == 200
    page = response.context["page"]
    assert {job.pk for job in page.object_list} == _pks(jobs, visible_open)
    assert page.paginator.count == len(visible_open)
    html = response.content.decode()
    count = len(visible_open)
    assert f"{count} job{'s' if count != 1 else ''} open" in html
    for name, job in jobs.items():
        assert (job.title in html) == (name in visible_open), name


def _check_job_pages(jobs, client, visible) -> None:
    for name, job in jobs.items():
        response = client.get(reverse("frontend:job_detail", args=[job.pk]))
        if name in visible:
            assert response.status_code == 200, name
            assert job.title in response.content.decode()
        else:
            assert response.status_code == 404, name
            assert job.title not in response.content.decode()


def _open(names) -> set[str]:
    return {name for name in names if "draft" not in name}


@pytest.mark.parametrize("who", AUDIENCES)
def test_each_viewer_sees_exactly_their_jobs_by_list_count_and_id(world, client, who):
    jobs, viewers = world
    user, visible = viewers[who], AUDIENCES[who]
    if user is not None:
        client.force_login(user)

    _check_selector_lists(jobs, user or AnonymousUser(), visible)
    _check_selector_by_id(jobs, user or AnonymousUser(), visible)
    _check_find_work_page(jobs, client, visible)
    _check_job_pages(jobs, client, visible)
