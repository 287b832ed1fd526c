"""Shared pieces of the email tests: a clock, conversations built with the ORM (the conversation
services are another part's), presence, and running the digest task as beat would."""

from datetime import UTC, datetime, timedelta

from django.db.models import F, Max

from messaging.models import Conversation, Message, Participant, UserEventCursor
from messaging.services.digest import digests_send_due

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def conversation_of(*users, title: str = "Logo for a bakery") -> Conversation:
    first, second = sorted(user.pk for user in users[:2])
    conversation = Conversation.objects.create(kind="direct", direct_pair=f"{first}:{second}", title=title)
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user=user, side="client" if i else "freelancer")
        for i, user in enumerate(users)
    )
    return conversation


def post(conversation: Conversation, sender, body: str = "Hello") -> Message:
    """A message as the services leave it: the others' ``unread`` counts go up."""
    message = Message.objects.create(conversation=conversation, sender=sender, body=body, body_html=body)
    Participant.objects.filter(conversation=conversation).exclude(user=sender).update(unread=F("unread") + 1)
    return message


def read_all(conversation: Conversation, user) -> None:
    newest = conversation.messages.aggregate(newest=Max("pk"))["newest"] or 0
    Participant.objects.filter(conversation=conversation, user=user).update(
        last_read_message_id=newest, unread=0
    )


def page_seen(user, at: datetime) -> None:
    """What the websocket's heartbeat writes while one of the user's pages is open."""
    UserEventCursor.objects.update_or_create(user=user, defaults={"last_seen_at": at})


def run_task(capture) -> int:
    """One beat tick of ``messaging.digests_send``, its emails sent after commit."""
    with capture(execute=True):
        return digests_send_due()
