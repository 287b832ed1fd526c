"""The websocket push channel, through the real ASGI application and the Redis channel layer."""

import logging

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from celery import current_app
from django.db import transaction

from messaging.consumers import (
    CLOSE_FRAME_TOO_LARGE,
    CLOSE_INVALID_FRAME,
    CLOSE_UNAUTHENTICATED,
    MAX_FRAME_BYTES,
)
from messaging.models import UserEvent
from messaging.realtime import send_event_on_commit
from tests.factories import make_user
from tests.support.websockets import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_anonymous_connection_is_closed_with_the_unauthenticated_code():
    async def scenario():
        ws = communicator()
        assert (await ws.connect())[0]
        assert await ws.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": CLOSE_UNAUTHENTICATED,
        }

    async_to_sync(scenario)()


def test_a_connection_from_a_foreign_origin_is_refused():
    cookie = session_cookie(make_user())

    async def scenario():
        connected, _ = await communicator(cookie=cookie, origin=b"https://evil.example").connect()
        assert not connected

    async_to_sync(scenario)()


def test_events_reach_only_their_recipients_open_pages_each_with_the_recipients_own_id():
    alice, bob = make_user(), make_user()
    alice_cookie = session_cookie(alice)
    bob_cookie = session_cookie(bob)
    send_event_on_commit([alice.pk], {"type": "test.earlier"})

    async def scenario():
        alice_ws, bob_ws = communicator(cookie=alice_cookie), communicator(cookie=bob_cookie)
        assert (await alice_ws.connect())[0]
        assert (await bob_ws.connect())[0]
        await sync_to_async(send_event_on_commit)([alice.pk, bob.pk], {"type": "test.both"})
        await sync_to_async(send_event_on_commit)([alice.pk], {"type": "test.ping", "n": 1})
        assert await alice_ws.receive_json_from(timeout=5) == {"type": "test.both", "id": 2}
        assert await alice_ws.receive_json_from(timeout=5) == {"type": "test.ping", "n": 1, "id": 3}
        assert await bob_ws.receive_json_from(timeout=5) == {"type": "test.both", "id": 1}
        assert await bob_ws.receive_nothing(timeout=0.5)
        await alice_ws.disconnect()
        await bob_ws.disconnect()

    async_to_sync(scenario)()


def test_an_event_from_a_rolled_back_transaction_is_neither_stored_nor_sent():
    user = make_user()
    cookie = session_cookie(user)

    def send_then_roll_back():
        try:
            with transaction.atomic():
                send_event_on_commit([user.pk], {"type": "test.lost"})
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        send_event_on_commit([user.pk], {"type": "test.kept"})

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await sync_to_async(send_then_roll_back)()
        # The rolled-back id is handed out again: no gap for the page to stumble on.
        assert await ws.receive_json_from(timeout=5) == {"type": "test.kept", "id": 1}
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    async_to_sync(scenario)()
    assert list(UserEvent.objects.values_list("user_id", "seq", "payload")) == [
        (user.pk, 1, {"type": "test.kept"})
    ]


@pytest.mark.parametrize("inline_max", [50, 1], ids=["in-the-commit-hook", "by-a-task"])
def test_one_event_reaches_every_recipient_whether_sent_inline_or_by_a_task(settings, inline_max):
    """All of one event's sends run together on one loop; past ``REALTIME_FANOUT_INLINE_MAX`` people a
    task sends them (run eagerly here; the production smoke runs the real worker)."""
    settings.REALTIME_FANOUT_INLINE_MAX = inline_max
    people = [make_user() for _ in range(3)]
    outsider = make_user()
    send_event_on_commit([people[0].pk], {"type": "test.first"})
    cookies = [session_cookie(user) for user in [*people, outsider]]
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True

    async def scenario():
        sockets = [communicator(cookie=cookie) for cookie in cookies]
        for ws in sockets:
            assert (await ws.connect())[0]
        await sync_to_async(send_event_on_commit)([user.pk for user in people], {"type": "test.all"})
        for ws, expected_id in zip(sockets[:3], [2, 1, 1], strict=True):
            assert await ws.receive_json_from(timeout=5) == {"type": "test.all", "id": expected_id}
        assert await sockets[3].receive_nothing(timeout=0.5)
        for ws in sockets:
            await ws.disconnect()

    try:
        async_to_sync(scenario)()
    finally:
        current_app.conf.task_always_eager = eager


@pytest.mark.parametrize(
    ("frame", "code", "close_code"),
    [
        ({"text_data": "not json {"}, "invalid_frame", CLOSE_INVALID_FRAME),
        ({"bytes_data": b"\x00\x01binary"}, "invalid_frame", CLOSE_INVALID_FRAME),
        ({"text_data": "[" * 1000 + "]" * 1000}, "too_deeply_nested", CLOSE_INVALID_FRAME),
        ({"text_data": '"a string, not an object"'}, "invalid_frame", CLOSE_INVALID_FRAME),
        ({"text_data": '{"type": "ping", "pad": "' + "x" * MAX_FRAME_BYTES + '"}'}, "frame_too_large", 4413),
        ({"text_data": '{"type": "' + "é" * (MAX_FRAME_BYTES // 2) + '"}'}, "frame_too_large", 4413),
    ],
    ids=["not-json", "binary", "deep", "not-an-object", "oversized", "oversized-in-bytes"],
)
def test_a_frame_the_page_would_never_send_gets_an_error_and_closes_the_socket_without_a_traceback(
    frame, code, close_code, caplog
):
    """A page of ours sends small JSON objects only: anything else is a broken or hostile client."""
    assert CLOSE_FRAME_TOO_LARGE == 4413
    user = make_user()
    cookie = session_cookie(user)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_to(**frame)
        reply = await ws.receive_json_from(timeout=5)
        assert reply["type"] == "error"
        assert reply["code"] == code
        assert reply["message"]
        assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": close_code}

    with caplog.at_level(logging.WARNING):
        async_to_sync(scenario)()
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "subscribe"}, "unknown_frame"),
        ({"no": "type"}, "unknown_frame"),
        ({"type": "typing"}, "invalid_frame"),
        ({"type": "typing", "conversation": "7"}, "invalid_frame"),
        ({"type": "resume"}, "invalid_frame"),
        ({"type": "resume", "after": -1}, "invalid_frame"),
        ({"type": "resume", "after": True}, "invalid_frame"),
    ],
    ids=[
        "unknown-type",
        "no-type",
        "typing-without-conversation",
        "typing-id-a-string",
        "resume-no-after",
        "resume-negative",
        "resume-boolean",
    ],
)
def test_a_json_object_the_channel_cannot_act_on_gets_an_error_and_the_socket_keeps_working(frame, code):
    user = make_user()
    cookie = session_cookie(user)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to(frame)
        reply = await ws.receive_json_from(timeout=5)
        assert (reply["type"], reply["code"]) == ("error", code)
        await sync_to_async(send_event_on_commit)([user.pk], {"type": "test.after"})
        assert await ws.receive_json_from(timeout=5) == {"type": "test.after", "id": 1}
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
        await ws.disconnect()

    async_to_sync(scenario)()
