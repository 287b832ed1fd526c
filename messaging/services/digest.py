"""The email digest: at most one per person per ``DIGEST_MIN_INTERVAL_MINUTES``, of what is due
(``selectors/digest.py``), sent by the every-minute task ``messaging.digests_send``.

Each person is decided in their own transaction that locks their ``EmailPreference`` row first, so
two runs at once (two beat ticks overlapping, two workers) cannot both send: the second waits, then
sees the first's ``digest_sent_at`` and sends nothing. What a digest carried is written in the same
transaction (``Notification.digest``, ``Participant.digest_message_id``), so nothing is sent twice;
the email goes out after commit.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.mail import send_site_email

from ..email_policy import DIGEST, GROUP_OF_KIND, GROUPS
from ..models import EmailDigest, EmailPreference, Notification, Participant, UserEventCursor
from ..selectors.digest import ConversationDue, messages_due, notifications_due, users_due
from .email_delivery import unsubscribe_context

logger = logging.getLogger(__name__)


def conversation_url(conversation_id: int) -> str:
    """Where a digest sends the reader of a conversation (its page in the inbox)."""
    return f"{settings.SITE_URL}{reverse('frontend:conversation', args=[conversation_id])}"


@dataclass
class _Digest:
    user: User
    notifications: list[Notification]
    conversations: list[ConversationDue]


def _subject(digest: _Digest) -> str:
    parts = []
    messages = sum(item.count for item in digest.conversations)
    if messages:
        parts.append(f"{messages} unread message{'s' if messages != 1 else ''}")
    if digest.notifications:
        count = len(digest.notifications)
        parts.append(f"{count} update{'s' if count != 1 else ''}")
    return "You have " + " and ".join(parts)


def _email_send(digest: _Digest) -> None:
    groups = []
    for group in GROUPS:
        notes = [n for n in digest.notifications if GROUP_OF_KIND[n.kind] is group]
        if notes:
            links = [{"note": n, "link": f"{settings.SITE_URL}{n.url}"} for n in notes]
            groups.append({"label": group.label, "items": links})
    footer, headers = unsubscribe_context(
        user_id=digest.user.pk, group=DIGEST, label="messages and updates (the digest)"
    )
    send_site_email(
        to=digest.user.email,
        subject=_subject(digest),
        template="messaging/email/digest.txt",
        context={
            **footer,
            "recipient": digest.user,
            "conversations": [
                {"item": item, "link": conversation_url(item.conversation_id)}
                for item in digest.conversations
            ],
            "groups": groups,
            "delay": settings.DIGEST_DELAY_MINUTES,
            "interval": settings.DIGEST_MIN_INTERVAL_MINUTES,
        },
        headers=headers,
    )


def _lock_person(user_id: int) -> EmailPreference:
    """The person's preference row, made if missing, locked until the transaction ends."""
    EmailPreference.objects.bulk_create([EmailPreference(user_id=user_id)], ignore_conflicts=True)
    return EmailPreference.objects.select_for_update().get(user_id=user_id)


@transaction.atomic
def digest_send(*, user_id: int, now: datetime | None = None) -> EmailDigest | None:
    """The person's digest if one is due and allowed now; ``None`` when nothing is (again is harmless)."""
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return None
    preference = _lock_person(user_id)
    interval = timedelta(minutes=settings.DIGEST_MIN_INTERVAL_MINUTES)
    if preference.digest_sent_at is not None and preference.digest_sent_at > now - interval:
        return None
    notifications = list(notifications_due(now).filter(recipient_id=user_id).order_by("created_at", "pk"))
    conversations = []
    if preference.messages:
        seen = UserEventCursor.objects.filter(user_id=user_id).values_list("last_seen_at", flat=True).first()
        conversations = messages_due(user_id, now, seen)
    if not notifications and not conversations:
        return None
    digest = EmailDigest.objects.create(
        user=user,
        sent_at=now,
        notification_count=len(notifications),
        message_count=sum(item.count for item in conversations),
        conversation_count=len(conversations),
    )
    if notifications:
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(digest=digest)
    if conversations:
        Participant.objects.filter(
            user_id=user_id, conversation_id__in=[item.conversation_id for item in conversations]
        ).update(
            digest_message_id=Case(
                *(
                    When(conversation_id=i.conversation_id, then=Value(i.last_message_id))
                    for i in conversations
                ),
                default=F("digest_message_id"),
                output_field=BigIntegerField(),
            )
        )
    preference.digest_sent_at = now
    preference.save(update_fields=["digest_sent_at"])
    transaction.on_commit(partial(_email_send, _Digest(user, notifications, conversations)))
    return digest


def digests_send_due(*, now: datetime | None = None) -> int:
    """Every due digest (the task's work); how many were sent. One person's failure is logged and
    does not stop the others'."""
    now = now or timezone.now()
    sent = 0
    for user_id in users_due(now):
        try:
            sent += digest_send(user_id=user_id, now=now) is not None
        except Exception:
            logger.exception("Email digest for user %s failed", user_id)
    return sent
