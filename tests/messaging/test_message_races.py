"""Races on real PostgreSQL connections: the rate limit's last place is taken once, and two posts
at once both count in the others' unread and leave the newest as the conversation's last message."""

import pytest

from marketplace.core.exceptions import RateLimited
from marketplace.organisations.models import Role
from messaging.models import Message, Participant
from messaging.services.messages import message_post
from tests.messaging.conversation_cast import build_cast
from tests.support.concurrently import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_posts_at_once_cannot_both_take_the_last_place(settings):
    settings.MESSAGES_PER_MINUTE = 2
    cast = build_cast()
    conversation = cast.contract_conversation()
    message_post(acting_user=cast.freelancer, conversation_id=conversation.pk, body="First")

    def send(n: int):
        return lambda: message_post(
            acting_user=cast.freelancer, conversation_id=conversation.pk, body=f"Race {n}"
        )

    outcomes = at_once(send(1), send(2))
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Message", "RateLimited"]
    assert next(o for o in outcomes if isinstance(o, RateLimited)).code == "message_rate_limited"
    assert Message.objects.filter(sender=cast.freelancer).count() == 2


def test_posts_at_once_from_both_sides_are_all_counted(settings):
    settings.MESSAGES_PER_MINUTE = 50
    cast = build_cast()
    conversation = cast.contract_conversation()
    manager, finance = cast.roles[Role.HIRING_MANAGER], cast.roles[Role.FINANCE]

    def send(user, n: int):
        return lambda: message_post(acting_user=user, conversation_id=conversation.pk, body=f"Note {n}")

    outcomes = at_once(*(send(user, n) for n in range(3) for user in (cast.freelancer, manager)))
    assert all(isinstance(outcome, Message) for outcome in outcomes), outcomes
    conversation.refresh_from_db()
    assert conversation.last_message_id == Message.objects.latest("pk").pk
    assert Participant.objects.get(conversation=conversation, user=finance).unread == 6
