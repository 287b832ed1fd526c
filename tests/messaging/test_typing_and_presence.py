"""Typing indicators reach a conversation's other active participants only; presence is written
when a page connects, pings and closes. Real ASGI application, Redis layer, PostgreSQL."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import timezone

from messaging.models import Conversation, Participant, UserEvent, UserEventCursor
from messaging.realtime import send_event_on_commit
from tests.factories import make_user
from tests.support.websockets import communicator, received_all, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def _conversation(*members, removed=()) -> Conversation:
    conversation = Conversation.objects.create(
        kind=Conversation.Kind.DIRECT, direct_pair=f"{members[0].pk}:{members[1].pk}", title="Chat"
    )
    for user in members:
        Participant.objects.create(conversation=conversation, user=user, side=Participant.Side.CLIENT)
    for user in removed:
        Participant.objects.create(
            conversation=conversation, user=user, side=Participant.Side.SUPPORT, removed_at=timezone.now()
        )
    return conversation


def test_typing_reaches_the_other_participants_only_and_an_outsiders_is_refused():
    alice, bob = make_user(full_name="Alice Adams"), make_user(full_name="Bob Brown")
    outsider, former = make_user(), make_user()
    conversation = _conversation(alice, bob, removed=[former])
    other = _conversation(outsider, former)
    cookies = [session_cookie(user) for user in (alice, bob, outsider, former)]

    async def scenario():
        sockets = [communicator(cookie=cookie) for cookie in cookies]
        for ws in sockets:
            assert (await ws.connect())[0]
        alice_ws, bob_ws, outsider_ws, former_ws = sockets

        await alice_ws.send_json_to({"type": "typing", "conversation": conversation.pk})
        expected = {
            "type": "typing",
            "conversation": conversation.pk,
            "user": alice.pk,
            "name": "Alice Adams",
        }
        assert await bob_ws.receive_json_from(timeout=5) == expected  # the positive control
        await alice_ws.send_json_to({"type": "typing", "conversation": conversation.pk})  # within 2 s
        for ws in sockets:
            assert await ws.receive_nothing(timeout=0.3)

        for intruder_ws in (outsider_ws, former_ws):
            await intruder_ws.send_json_to({"type": "typing", "conversation": conversation.pk})
            refusal = await intruder_ws.receive_json_from(timeout=5)
            assert (refusal["type"], refusal["code"]) == ("error", "conversation_not_found")
        await bob_ws.send_json_to({"type": "typing", "conversation": 10**9})
        assert (await bob_ws.receive_json_from(timeout=5))["code"] == "conversation_not_found"
        for ws in sockets:
            assert await ws.receive_nothing(timeout=0.3)

        await asyncio.sleep(2.1)  # the next indicator of the same page goes out again
        await alice_ws.send_json_to({"type": "typing", "conversation": conversation.pk})
        assert await bob_ws.receive_json_from(timeout=5) == expected
        # The outsider's own conversation works; its only active other participant is gone, so the
        # former participant (removed from the first, active in this one) hears it.
        await outsider_ws.send_json_to({"type": "typing", "conversation": other.pk})
        assert (await former_ws.receive_json_from(timeout=5))["user"] == outsider.pk
        for ws in sockets:
            assert await ws.receive_nothing(timeout=0.3)
        for ws in sockets:
            await ws.disconnect()

    async_to_sync(scenario)()
    assert not UserEvent.objects.exists()  # typing is never stored


def test_a_conversations_events_reach_its_participants_and_nobody_else():
    """What services send for a conversation goes to its participants' ids; a stranger's socket
    hears nothing of it (positive control: the participants do)."""
    alice, bob, stranger = make_user(), make_user(), make_user()
    conversation = _conversation(alice, bob)
    cookies = [session_cookie(user) for user in (alice, bob, stranger)]

    def post():
        members = Participant.objects.filter(conversation=conversation, removed_at=None).values_list(
            "user_id", flat=True
        )
        send_event_on_commit(list(members), {"type": "message.new", "conversation": conversation.pk})

    async def scenario():
        sockets = [communicator(cookie=cookie) for cookie in cookies]
        for ws in sockets:
            assert (await ws.connect())[0]
            await ws.send_json_to({"type": "resume", "after": 0})
        await sync_to_async(post)()
        event = {"type": "message.new", "conversation": conversation.pk, "id": 1}
        assert await received_all(sockets[0]) == [event]
        assert await received_all(sockets[1]) == [event]
        assert await sockets[2].receive_nothing(timeout=0.5)
        # Nor does a stranger's resume replay it.
        await sockets[2].send_json_to({"type": "resume", "after": 0})
        assert await sockets[2].receive_nothing(timeout=0.5)
        for ws in sockets:
            await ws.disconnect()

    async_to_sync(scenario)()


def _last_seen(user):
    return UserEventCursor.objects.filter(user=user).values_list("last_seen_at", flat=True).first()


def test_presence_is_written_on_connect_on_heartbeats_at_most_every_half_interval_and_on_close(settings):
    settings.REALTIME_HEARTBEAT_SECONDS = 1
    user = make_user()
    cookie = session_cookie(user)
    assert _last_seen(user) is None
    last_seen = sync_to_async(_last_seen)
    seen: list = []

    async def scenario():
        ws = communicator(cookie=cookie)
        before = timezone.now()
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
        seen.append(await last_seen(user))  # connect
        assert seen[0] >= before
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
        assert await last_seen(user) == seen[0]  # too soon after the last write
        await asyncio.sleep(0.6)
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
        seen.append(await last_seen(user))
        assert seen[1] > seen[0]
        await ws.disconnect()

    async_to_sync(scenario)()
    # The close is written once the consumer has run its disconnect.
    assert _last_seen(user) > seen[1]
    # Presence never moves the event ids.
    assert UserEventCursor.objects.get(user=user).last_seq == 0
