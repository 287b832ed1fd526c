"""Reads for blocks, reports and the staff's moderation queue."""

from django.db.models import Q, QuerySet

from marketplace.accounts.models import FreelancerProfile
from marketplace.accounts.selectors import profile_for_viewer
from marketplace.core.exceptions import NotFound
from marketplace.jobs.models import Job
from marketplace.jobs.selectors import jobs_visible_to

from ..models import Block, Message, Report


def blocks_of(user) -> QuerySet[Block]:
    """The people ``user`` has blocked, most recent first."""
    return Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at", "-id")


def block_exists(*, blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def blocked_between(user_id: int, other_ids) -> bool:
    """Whether ``user_id`` and any of ``other_ids`` has blocked the other (either direction)."""
    other_ids = [other for other in other_ids if other != user_id]
    if not other_ids:
        return False
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id__in=other_ids) | Q(blocked_id=user_id, blocker_id__in=other_ids)
    ).exists()


def message_for_reporter(user, message_id: int) -> Message:
    """A message ``user`` can read (an active participant of its conversation), not deleted; else 404."""
    message = (
        Message.objects.filter(
            pk=message_id,
            deleted_at__isnull=True,
            conversation__participants__user=user,
            conversation__participants__removed_at__isnull=True,
        )
        .select_related("sender")
        .first()
    )
    if message is None:
        raise NotFound("No such message.", code="message_not_found")
    return message


def profile_for_reporter(user, handle: str) -> FreelancerProfile:
    return profile_for_viewer(handle=handle, viewer=user)


def job_for_reporter(user, job_id: int) -> Job:
    job = jobs_visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound("No such job.", code="job_not_found")
    return job


def reports_open() -> QuerySet[Report]:
    """The queue's reports: open, oldest first, with what each row of the page shows."""
    return (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("reporter", "message__sender", "profile__user", "job")
        .order_by("created_at", "id")
    )


def flagged_messages_open() -> QuerySet[Message]:
    """Messages the contact check flagged that staff have not hidden or cleared, oldest first."""
    return (
        Message.objects.exclude(contact_flags=[])
        .filter(hidden_at__isnull=True, deleted_at__isnull=True, flag_review__isnull=True)
        .select_related("sender", "conversation")
        .order_by("id")
    )
