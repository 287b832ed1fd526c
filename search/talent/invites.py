"""Inviting a found freelancer: the open jobs the viewer may invite to, and the invitation itself
through the jobs app's service (which checks who may invite, and what state allows it, again)."""

from marketplace.core.exceptions import NotFound
from marketplace.jobs.models import Job, JobInvitation
from marketplace.jobs.permissions import client_side_grants, client_side_q
from marketplace.jobs.services.proposals import job_invite


def jobs_to_invite_to(viewer, *, job_id: int | None = None) -> list[Job]:
    """The open jobs on the viewer's client side whose invitations they manage (their own, and their
    organisations' where their role grants ``manage_jobs``), newest first: two queries. ``job_id``:
    only that one, if it is such a job."""
    if not getattr(viewer, "is_authenticated", False) or viewer.is_suspended:
        return []
    grants = client_side_grants(viewer)
    jobs = Job.objects.filter(client_side_q(viewer), status=Job.Status.OPEN)
    if job_id is not None:
        jobs = jobs.filter(pk=job_id)
    jobs = jobs.select_related("organisation").order_by("-opened_at", "-id")
    return [job for job in jobs if grants.allow(job, "manage_jobs")]


def invite_from_search(*, acting_user, job_id: int, handle: str, message: str = "") -> JobInvitation:
    """Invite the freelancer with ``handle`` to one of the viewer's jobs; a job that is not one of
    theirs to invite to answers 404 like none (``job_not_found``); the service refuses the rest
    (``already_invited``, ``already_proposed``, ``invitation_declined``, ``not_in_pool`` …)."""
    jobs = jobs_to_invite_to(acting_user, job_id=job_id)
    if not jobs:
        raise NotFound("No such open job of yours.", code="job_not_found")
    return job_invite(acting_user=acting_user, job=jobs[0], freelancer_handle=handle, message=message)
