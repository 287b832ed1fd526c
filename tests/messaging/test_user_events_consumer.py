"""The websocket push channel, through the real ASGI application and the Redis channel layer."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from celery import current_app
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from marketplace.config.asgi import application
from messaging.consumers import CLOSE_UNAUTHENTICATED
from messaging.realtime import send_event_on_commit
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def _communicator(*, cookie: bytes = b"", origin: bytes = b"http://localhost") -> WebsocketCommunicator:
    headers = [(b"host", b"localhost"), (b"origin", origin)]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/events/", headers=headers)


def test_an_anonymous_connection_is_closed_with_the_unauthenticated_code():
    async def scenario():
        ws = _communicator()
        assert (await ws.connect())[0]
        assert await ws.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": CLOSE_UNAUTHENTICATED,
        }

    async_to_sync(scenario)()


def test_a_connection_from_a_foreign_origin_is_refused():
    cookie = _session_cookie(make_user())

    async def scenario():
        connected, _ = await _communicator(cookie=cookie, origin=b"https://evil.example").connect()
        assert not connected

    async_to_sync(scenario)()


def test_events_reach_only_their_recipients_open_pages():
    alice, bob = make_user(), make_user()
    alice_cookie = _session_cookie(alice)
    bob_cookie = _session_cookie(bob)

    async def scenario():
        alice_ws, bob_ws = _communicator(cookie=alice_cookie), _communicator(cookie=bob_cookie)
        assert (await alice_ws.connect())[0]
        assert (await bob_ws.connect())[0]
        await sync_to_async(send_event_on_commit)([alice.pk], {"type": "test.ping", "n": 1})
        assert await alice_ws.receive_json_from(timeout=5) == {"type": "test.ping", "n": 1}
        assert await bob_ws.receive_nothing(timeout=0.5)
        await alice_ws.disconnect()
        await bob_ws.disconnect()

    async_to_sync(scenario)()


def test_an_event_from_a_rolled_back_transaction_is_never_sent():
    user = make_user()
    cookie = _session_cookie(user)

    def send_then_roll_back():
        try:
            with transaction.atomic():
                send_event_on_commit([user.pk], {"type": "test.lost"})
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        send_event_on_commit([user.pk], {"type": "test.kept"})

    async def scenario():
        ws = _communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await sync_to_async(send_then_roll_back)()
        assert await ws.receive_json_from(timeout=5) == {"type": "test.kept"}
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("inline_max", [50, 1], ids=["in-the-commit-hook", "by-a-task"])
def test_one_event_reaches_every_recipient_whether_sent_inline_or_by_a_task(settings, inline_max):
    """All of one event's sends run together on one loop; past ``REALTIME_FANOUT_INLINE_MAX`` people a
    task sends them (run eagerly here; the production smoke runs the real worker)."""
    settings.REALTIME_FANOUT_INLINE_MAX = inline_max
    people = [make_user() for _ in range(3)]
    outsider = make_user()
    cookies = [_session_cookie(user) for user in [*people, outsider]]
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True

    async def scenario():
        sockets = [_communicator(cookie=cookie) for cookie in cookies]
        for ws in sockets:
            assert (await ws.connect())[0]
        await sync_to_async(send_event_on_commit)([user.pk for user in people], {"type": "test.all"})
        for ws in sockets[:3]:
            assert await ws.receive_json_from(timeout=5) == {"type": "test.all"}
        assert await sockets[3].receive_nothing(timeout=0.5)
        for ws in sockets:
            await ws.disconnect()

    try:
        async_to_sync(scenario)()
    finally:
        current_app.conf.task_always_eager = eager


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"text_data": "not json {"}, "invalid_frame"),
        ({"bytes_data": b"\x00\x01binary"}, "invalid_frame"),
        ({"text_data": "[" * 5000 + "]" * 5000}, "too_deeply_nested"),
        ({"text_data": '"a string, not an object"'}, "invalid_frame"),
    ],
    ids=["not-json", "binary", "deep", "not-an-object"],
)
def test_a_frame_the_channel_cannot_read_gets_an_error_frame_and_the_connection_keeps_working(frame, code):
    """The channel is push-only: what a page sends is not read, but a frame that is not a JSON object
    crashed the consumer; now it answers a machine-readable error frame and goes on pushing."""
    user = make_user()
    cookie = _session_cookie(user)

    async def scenario():
        ws = _communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_to(**frame)
        reply = await ws.receive_json_from(timeout=5)
        assert reply["type"] == "error"
        assert reply["code"] == code
        assert reply["message"]
        await sync_to_async(send_event_on_commit)([user.pk], {"type": "test.after"})
        assert await ws.receive_json_from(timeout=5) == {"type": "test.after"}
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_json_object_frame_is_ignored_as_before():
    user = make_user()
    cookie = _session_cookie(user)

    async def scenario():
        ws = _communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "typing"})
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    async_to_sync(scenario)()
