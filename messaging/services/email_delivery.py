"""Notification emails sent at once (offers, money, review reminders: ``email_policy``), each with its group's
one-click unsubscribe link; called after the notifications' transaction commits."""

from django.conf import settings
from django.urls import reverse

from marketplace.core.mail import send_site_email

from ..email_policy import GROUP_OF_KIND
from ..models import Notification
from ..selectors.email_preferences import recipients_wanting
from ..unsubscribe import unsubscribe_headers, unsubscribe_url

GENERIC_TEMPLATE = "messaging/email/notification.txt"


def preferences_url() -> str:
    return f"{settings.SITE_URL}{reverse('frontend:account_emails')}"


def unsubscribe_context(*, user_id: int, group: str, label: str) -> tuple[dict, dict]:
    """The footer's context and the headers of an email whose link turns ``group`` off."""
    url = unsubscribe_url(user_id=user_id, group=group)
    context = {"unsubscribe_url": url, "unsubscribe_label": label, "preferences_url": preferences_url()}
    return context, unsubscribe_headers(url)


def notification_emails_send(notifications: list[Notification], email_context: dict | None) -> None:
    """One plain-text email per notification whose recipient wants its group: the kind's own template
    (``messaging/email/<kind>.txt``) when the receiver gave its context, else the generic one."""
    if not notifications:
        return
    group = GROUP_OF_KIND[notifications[0].kind]
    wanted = recipients_wanting((n.recipient_id for n in notifications), group.key)
    template = GENERIC_TEMPLATE if email_context is None else f"messaging/email/{notifications[0].kind}.txt"
    for notification in notifications:
        if notification.recipient_id not in wanted:
            continue
        footer, headers = unsubscribe_context(
            user_id=notification.recipient_id, group=group.key, label=group.label.lower()
        )
        send_site_email(
            to=notification.recipient.email,
            subject=notification.title,
            template=template,
            context={
                **(email_context or {}),
                **footer,
                "recipient": notification.recipient,
                "notification": notification,
                "link": f"{settings.SITE_URL}{notification.url}",
            },
            headers=headers,
        )
