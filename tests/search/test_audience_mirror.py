"""The audiences the index definitions give documents mirror the visibility selectors exactly: for
every actor of the permission matrix's world and every profile and open job, "the document's audience
shares a token with the viewer's" is "the selector lets the viewer see it". No engine is involved, so
this pins the rule itself; the backends' contract suite pins that they apply it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.accounts.models import FreelancerProfile
from marketplace.accounts.selectors import profiles_visible_to
from marketplace.accounts.services.staff import user_suspend
from marketplace.jobs.models import Job
from marketplace.jobs.selectors import jobs_visible_to
from marketplace.jobs.services import job_close
from marketplace.jobs.services.proposals import job_invite
from search.audience import viewer_audience
from search.indexes.jobs import job_documents
from search.indexes.talent import talent_documents
from tests.factories import add_to_pool, make_client, make_freelancer, make_job, make_organisation
from tests.support.world import ACTORS


@pytest.fixture
def world(matrix_world, db):
    """The matrix's world and a few more objects: an invite-only job with its invitee, a closed job,
    organisation B's pool job with a member of B's pool, a suspended and a deactivated freelancer."""
    users = matrix_world.users
    staff = users["staff"]
    invitee = make_freelancer(full_name="Ivy Invitee")
    acme_owner = users["Aown"]
    invite_only = make_job(
        client=acme_owner,
        organisation=acme_owner.memberships.get().organisation,
        visibility="invite_only",
        title="Invite-only probe",
    )
    job_invite(acting_user=acme_owner, job=invite_only, freelancer_handle=invitee.freelancer_profile.handle)
    closed = make_job(title="Closed probe")
    job_close(acting_user=closed.client, job=closed, reason="Filled")
    beta = make_organisation(owner=make_client(), name="Gamma Probe")
    b_member = make_freelancer(full_name="Gus Gamma")
    add_to_pool(beta, b_member)
    FreelancerProfile.objects.filter(user=b_member).update(visibility=FreelancerProfile.Visibility.POOL)
    make_job(organisation=beta, visibility="pool", title="Gamma pool job")
    suspended = make_freelancer(full_name="Sid Suspended")
    user_suspend(acting_user=staff, user_id=suspended.pk, reason="Probe")
    gone = make_freelancer(full_name="Dee Deactivated")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    viewers = {name: users.get(name) or AnonymousUser() for name in ACTORS if not name.startswith("key")}
    viewers.update({"invitee": invitee, "gamma": b_member, "suspended": suspended})
    return viewers


def found_by(documents, viewer) -> set[int]:
    audience = viewer_audience(viewer)
    return {document.id for document in documents if document.audience & audience}


def test_profile_audiences_are_the_profile_selector(world):
    documents = talent_documents(list(FreelancerProfile.objects.values_list("pk", flat=True)))
    handles = dict(FreelancerProfile.objects.values_list("pk", "user__full_name"))
    seen = {}
    for name, viewer in world.items():
        expected = set(profiles_visible_to(viewer).values_list("pk", flat=True))
        assert found_by(documents, viewer) == expected, name
        seen[name] = {handles[pk] for pk in expected}
    # Positive controls: pool-only profiles reach their organisations' members; the suspended
    # freelancer is found by staff and themself only; the deactivated by nobody.
    assert "Polly Pool" in seen["Aown"]
    assert "Polly Pool" in seen["Avie"]
    assert "Polly Pool" not in seen["Bown"]
    assert "Polly Pool" not in seen["fl"]
    assert "Polly Pool" not in seen["anon"]
    assert "Sid Suspended" in seen["staff"]
    assert "Sid Suspended" in seen["suspended"]
    assert "Sid Suspended" not in seen["Aown"]
    assert "Sid Suspended" not in seen["anon"]
    assert not any("Dee Deactivated" in names for names in seen.values())
    assert "Fay Outside" in seen["anon"]


def test_open_job_audiences_are_the_job_selector(world):
    documents = job_documents(list(Job.objects.values_list("pk", flat=True)))
    assert {document.id for document in documents} == set(
        Job.objects.filter(status=Job.Status.OPEN).values_list("pk", flat=True)
    )
    titles = dict(Job.objects.values_list("pk", "title"))
    seen = {}
    for name, viewer in world.items():
        expected = set(jobs_visible_to(viewer).filter(status=Job.Status.OPEN).values_list("pk", flat=True))
        assert found_by(documents, viewer) == expected, name
        seen[name] = {titles[pk] for pk in expected}
    # Positive controls.
    assert "Pool probe job" in seen["pool"]
    assert "Pool probe job" in seen["Avie"]
    assert "Pool probe job" not in seen["ended"]
    assert "Pool probe job" not in seen["fl"]
    assert "Invite-only probe" in seen["invitee"]
    assert "Invite-only probe" in seen["Ahir"]
    assert "Invite-only probe" not in seen["fl"]
    assert "Invite-only probe" not in seen["anon"]
    assert "Gamma pool job" in seen["gamma"]
    assert "Gamma pool job" not in seen["pool"]
    assert "Public probe job" in seen["anon"]
    assert not any("Closed probe" in names for names in seen.values())
    assert "Draft probe job" not in seen["Aown"]  # a draft is no open job, even for its owner
