"""Notifications for saved-search alerts: the new jobs matching a person's saved search.

Search never imports messaging: its alert task sends ``search.events.saved_search_matched`` once its
transaction commits, and this receiver (connected in ``MessagingConfig.ready``) tells the search's
owner, in the app at once (live, with the unread count) and by email in the digest
(``email_policy``: the "saved_searches" group). The jobs are read again through the owner's own
visibility selector, so a job they may not see (or one closed meanwhile) is never named.
"""

from urllib.parse import urlencode

from django.dispatch import receiver
from django.urls import reverse

from marketplace.jobs.models import Job
from marketplace.jobs.selectors import jobs_visible_to
from search import events as search_events

from .models import Notification
from .receivers import _never_raises
from .services import notification_create

NAMED = 3  # jobs named in the notification's body; the link shows them all


def _titles(jobs: list[Job]) -> str:
    named = "; ".join(f"“{job.title}”" for job in jobs[:NAMED])
    more = len(jobs) - NAMED
    return f"{named} and {more} more." if more > 0 else f"{named}."


@receiver(search_events.saved_search_matched, dispatch_uid="messaging.saved_search_matched")
@_never_raises
def saved_search_matched(sender, user, saved_search, job_ids: list[int], **kwargs) -> None:
    visible = jobs_visible_to(user).filter(status=Job.Status.OPEN, pk__in=job_ids)
    by_id = {job.pk: job for job in visible.only("pk", "title")}
    jobs = [by_id[pk] for pk in job_ids if pk in by_id]
    if not jobs:
        return
    count = len(jobs)
    query = urlencode(saved_search.params, doseq=True)
    notification_create(
        recipient_ids=[user.pk],
        kind=Notification.Kind.SAVED_SEARCH_MATCH,
        title=f"{count} new job{'s' if count != 1 else ''} for your search “{saved_search.name}”",
        body=_titles(jobs),
        url=reverse("frontend:find_work") + (f"?{query}" if query else ""),
    )
