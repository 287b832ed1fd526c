"""Every write to notifications: create (with the live push and, for the kinds ``email_policy``
sends at once, an email), and mark read. Side effects go out after commit; the other kinds wait for
the digest (``services/digest.py``)."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import Truncator

from marketplace.accounts.models import User
from marketplace.core.exceptions import NotFound

from ..email_policy import AT_ONCE_KINDS
from ..models import Notification
from ..realtime import (
    notification_event,
    notifications_read_event,
    send_event_on_commit,
    send_events_on_commit,
)
from ..selectors.notifications import unread_count
from .email_delivery import notification_emails_send


def _fit(text: str, field: str) -> str:
    """One line, cut to the column's length with an ellipsis."""
    one_line = " ".join((text or "").split())
    return Truncator(one_line).chars(Notification._meta.get_field(field).max_length)


@transaction.atomic
def notification_create(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor_id: int | None = None,
    email_context: dict | None = None,
) -> list[Notification]:
    """The same notification for each recipient (active accounts only), pushed to their open pages
    with their new unread count after commit. A kind emailed at once (offers, money) is emailed
    after commit to those who want it, from its own template with ``email_context`` (the receiver's
    words for it) or else the generic one; the other kinds wait for the digest."""
    recipients = list(User.objects.filter(pk__in=set(recipient_ids), is_active=True).order_by("pk"))
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=kind,
            title=_fit(title, "title"),
            body=_fit(body, "body"),
            url=url,
            actor_id=actor_id,
        )
        for recipient in recipients
    )
    counts = dict(
        Notification.objects.filter(recipient__in=recipients, read_at__isnull=True)
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    send_events_on_commit(
        {
            notification.recipient_id: notification_event(
                unread=counts.get(notification.recipient_id, 0), title=notification.title
            )
            for notification in notifications
        }
    )
    if kind in AT_ONCE_KINDS and notifications:
        transaction.on_commit(partial(notification_emails_send, notifications, email_context))
    return notifications


def _pushed_read(user: User) -> None:
    send_event_on_commit([user.pk], notifications_read_event(unread=unread_count(user)))


@transaction.atomic
def notifications_mark_read(*, acting_user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (again is harmless); anyone else's is 404."""
    notification = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, recipient_id=getattr(acting_user, "pk", None))
        .first()
    )
    if notification is None:
        raise NotFound("No such notification.", code="notification_not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _pushed_read(acting_user)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, acting_user: User) -> int:
    """Mark every unread notification of the user read; the number marked."""
    marked = Notification.objects.filter(recipient_id=acting_user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        _pushed_read(acting_user)
    return marked
