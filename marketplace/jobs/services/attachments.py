"""Files on jobs and proposals, stored through the kernel's checks (``marketplace.core.files``).

A job's client side attaches files to a draft or open job, a freelancer to a proposal they can still
edit; at most ``ATTACHMENTS_MAX_COUNT`` each. Who may download them is ``selectors`` (the job's or the
proposal's visibility), told to the kernel in ``apps.py``.
"""

from django.conf import settings
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict, NotFound
from marketplace.core.files import file_check, file_store
from marketplace.core.models import StoredFile

from ..models import Job, Proposal
from ..permissions import require_freelancer, require_job_control, require_proposal_author

JOB_FILES = "jobs.job"
PROPOSAL_FILES = "jobs.proposal"


def attachments_room_check(owner: Job | Proposal) -> None:
    if owner.attachments.count() >= settings.ATTACHMENTS_MAX_COUNT:
        raise Conflict(
            f"At most {settings.ATTACHMENTS_MAX_COUNT} files can be attached.", code="too_many_attachments"
        )


@transaction.atomic
def job_attachment_add(*, acting_user: User, job: Job, data: bytes, name: str) -> StoredFile:
    require_job_control(acting_user, job)
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.status in Job.TERMINAL:
        raise Conflict("Files can be attached only to a draft or open job.", code="job_not_editable")
    attachments_room_check(locked)
    stored = file_store(acting_user=acting_user, checked=file_check(data, name), owner_kind=JOB_FILES)
    locked.attachments.add(stored)
    return stored


@transaction.atomic
def proposal_attachment_add(*, acting_user: User, proposal: Proposal, data: bytes, name: str) -> StoredFile:
    require_proposal_author(acting_user, proposal, "attach files to")
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in Proposal.EDITABLE:
        raise Conflict(
            "Files can be attached only while the proposal can be edited.", code="proposal_not_editable"
        )
    attachments_room_check(locked)
    stored = file_store(acting_user=acting_user, checked=file_check(data, name), owner_kind=PROPOSAL_FILES)
    locked.attachments.add(stored)
    return stored


def job_file_remove(*, acting_user: User, file: StoredFile) -> None:
    """The kernel's removal of a job's file: its client side may (``manage_jobs``)."""
    job = Job.objects.filter(attachments=file).first()
    if job is None:
        raise NotFound("No such attachment.", code="attachment_not_found")
    require_job_control(acting_user, job)


def proposal_file_remove(*, acting_user: User, file: StoredFile) -> None:
    """The kernel's removal of a proposal's file: its freelancer may."""
    proposal = Proposal.objects.filter(attachments=file).first()
    if proposal is None:
        raise NotFound("No such attachment.", code="attachment_not_found")
    require_freelancer(
        acting_user, proposal.freelancer_id, message="Only the freelancer can remove this file."
    )
