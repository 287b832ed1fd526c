"""A page that reconnects resumes from its last id: everything after it, once, in order, then live
events without repeats; or it is told to reload. Real ASGI application, Redis layer, PostgreSQL."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from messaging.realtime import USER_EVENT_MESSAGE_TYPE, send_event_on_commit, user_group_name
from messaging.services.events import user_events_prune
from tests.factories import make_user
from tests.support.websockets import communicator, received_all, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def _write(user, *numbers: int) -> None:
    for n in numbers:
        send_event_on_commit([user.pk], {"type": "test.n", "n": n})


def _event(seq: int, n: int) -> dict:
    return {"type": "test.n", "n": n, "id": seq}


def _resumed(cookie: bytes, after: int) -> list[dict]:
    """What a new connection that resumes after ``after`` is sent."""

    async def scenario() -> list[dict]:
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": after})
        frames = await received_all(ws)
        await ws.disconnect()
        return frames

    return async_to_sync(scenario)()


def test_a_dropped_socket_resumes_with_everything_written_meanwhile_once_and_in_order():
    user = make_user()
    cookie = session_cookie(user)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": 0})
        await sync_to_async(_write)(user, 1, 2)
        assert await received_all(ws) == [_event(1, 1), _event(2, 2)]
        await ws.disconnect()

        await sync_to_async(_write)(user, 3, 4, 5)  # nobody listening

        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": 2})
        await sync_to_async(_write)(user, 6)  # live, right behind the replay
        assert await received_all(ws) == [_event(3, 3), _event(4, 4), _event(5, 5), _event(6, 6)]
        await ws.disconnect()

    async_to_sync(scenario)()


def test_live_pushes_the_replay_already_gave_are_dropped_and_a_push_that_overtook_another_waits_for_it():
    """Two writers' pushes can cross on the way (id 5's after id 6's): the consumer fetches the
    missing one from the log first, and drops the late or repeated copies."""
    user = make_user()
    cookie = session_cookie(user)
    _write(user, 1, 2, 3, 4, 5, 6)
    layer = get_channel_layer()

    async def push(seq: int) -> None:
        message = {"type": USER_EVENT_MESSAGE_TYPE, "event": _event(seq, seq)}
        await layer.group_send(user_group_name(user.pk), message)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": 2})
        assert await received_all(ws) == [_event(3, 3), _event(4, 4), _event(5, 5), _event(6, 6)]
        await push(4)  # a late push of a replayed event
        await push(6)
        assert await ws.receive_nothing(timeout=0.5)
        await sync_to_async(_write)(user, 7, 8)
        assert await received_all(ws) == [_event(7, 7), _event(8, 8)]

        # Stored 9 and 10, pushed 10 first: 9 comes from the log, then 10, then nothing more.
        await sync_to_async(_store_without_push)(user, 9, 10)
        await push(10)
        assert await received_all(ws) == [_event(9, 9), _event(10, 10)]
        await push(9)
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    async_to_sync(scenario)()


def _store_without_push(user, *numbers: int) -> None:
    """Log events as a writer would, with their pushes lost on the way (e.g. a process that died)."""
    with mock.patch("messaging.realtime.events_send"):
        _write(user, *numbers)


@pytest.mark.parametrize(
    ("after", "answer"),
    [(2, []), (3, [{"type": "reload"}]), (100, [{"type": "reload"}])],
    ids=["the-last-id", "one-beyond-the-last", "far-beyond"],
)
def test_resuming_at_the_last_id_sends_nothing_and_beyond_it_means_reload_and_live_events_go_on(
    after, answer
):
    user = make_user()
    cookie = session_cookie(user)
    _write(user, 1, 2)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": after})
        assert await received_all(ws) == answer
        await sync_to_async(_write)(user, 3)
        assert await received_all(ws) == [_event(3, 3)]
        await ws.disconnect()

    async_to_sync(scenario)()


def test_an_id_older_than_the_kept_days_is_told_to_reload_whether_or_not_pruning_ran(settings):
    settings.USER_EVENTS_KEEP_DAYS = 7
    user = make_user()
    cookie = session_cookie(user)
    _write(user, 1, 2)

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert _resumed(cookie, 0) == [_event(1, 1), _event(2, 2)]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        _write(user, 3)
        assert _resumed(cookie, 0) == [{"type": "reload"}]  # not pruned yet
        assert _resumed(cookie, 1) == [{"type": "reload"}]
        assert user_events_prune() == 2
        assert _resumed(cookie, 0) == [{"type": "reload"}]
        assert _resumed(cookie, 2) == [_event(3, 3)]  # 3 is kept: nothing missing


def test_more_waiting_events_than_a_replay_gives_means_reload(settings):
    settings.USER_EVENTS_REPLAY_MAX = 3
    user = make_user()
    cookie = session_cookie(user)
    _write(user, 1, 2, 3, 4)

    assert _resumed(cookie, 0) == [{"type": "reload"}]
    assert _resumed(cookie, 1) == [_event(2, 2), _event(3, 3), _event(4, 4)]


def test_a_resume_replays_only_the_users_own_events():
    alice, bob = make_user(), make_user()
    cookie = session_cookie(alice)
    _write(bob, 1, 2, 3)
    _write(alice, 10)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": 0})
        assert await received_all(ws) == [_event(1, 10)]
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_resume_flood_closes_the_socket_and_a_caught_up_resume_costs_nothing():
    """A page resumes once per connection and after a gap; each resume reads the log. Ten in ten
    seconds are answered (positive control), the eleventh closes the socket; a resume from where the
    connection already is reads nothing at all."""
    from messaging import consumers
    from messaging.consumers import CLOSE_TOO_MANY_RESUMES, RESUMES_PER_WINDOW

    reads = mock.patch.object(consumers, "events_after", wraps=consumers.events_after)
    user = make_user()
    cookie = session_cookie(user)
    _write(user, 1, 2, 3)

    async def scenario():
        ws = communicator(cookie=cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": 3})
        assert await received_all(ws, quiet=0.2) == []
        for _ in range(20):  # caught up: no read of the log
            await ws.send_json_to({"type": "resume", "after": 3})
        assert await received_all(ws, quiet=0.2) == []
        assert counted.call_count == 1
        for n in range(RESUMES_PER_WINDOW - 1):  # the first resume counted too
            await ws.send_json_to({"type": "resume", "after": n % 3})
            assert [frame["id"] for frame in await received_all(ws, quiet=0.2)] == list(range(n % 3 + 1, 4))
        await ws.send_json_to({"type": "resume", "after": 0})
        assert (await ws.receive_json_from())["code"] == "too_many_resumes"
        assert (await ws.receive_output())["code"] == CLOSE_TOO_MANY_RESUMES
        assert counted.call_count == RESUMES_PER_WINDOW

    with reads as counted:
        async_to_sync(scenario)()
