"""Websocket fan-out, end to end, against the raw channel layer measured in the same run.

The production shape of the realtime path on loopback: uvicorn serving ``marketplace.config.asgi``
(websockets, the Redis pub/sub channel layer), a Celery worker (the task path), and N websocket
clients on /ws/events/, each authenticated with the session cookie of its own user. For each N
(200 and 1,000; quick: 100 and 200, still above REALTIME_FANOUT_INLINE_MAX) and each round:

- the product's path: a writer commits a transaction that calls ``send_event_on_commit`` for all
  N users. Measured: how long the writer is held (start of the transaction to the return of its
  commit: the task is queued, not sent), and the delay from that start to the receipt of the event
  at each client (through the worker's ``messaging.events_send``);
- the anchor: ``group_send`` of an event to the same N groups from one persistent event loop (no
  task, no new connections), gathered: the time to send them all, and the delay to each receipt.

Rows: the writer's hold against the raw send of all N (limit: 50 ms), and delivery p99 and p50
against the raw layer's (target for p99: at most twice the raw layer's, ratio ≥ 0.5). Peak RSS
of uvicorn (delivery rows) and of the worker (the writer's row). Every wait is bounded.
"""

import asyncio
import json
import os
import re
import statistics
import threading
import time
from collections import defaultdict
from contextlib import ExitStack

from bench.support import (
    LOGS,
    VENV_BIN,
    free_port,
    peak_rss_mb,
    reset_peak_rss,
    running,
    server_env,
    wait_for_http,
)
from bench.table import Row

EVENT_TYPE = "bench.ping"
IGNORED = object()
DELIVERY_TIMEOUT = 30.0
CONNECT_CONCURRENCY = 50


def _users(count: int) -> list[tuple[int, str]]:
    """``count`` users, each with a logged-in session: (user id, session key)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from marketplace.accounts.models import User

    users = User.objects.bulk_create(
        User(email=f"listener-{i}@bench.invalid", full_name=f"Listener {i}", password="!bench")
        for i in range(count)
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    sessions = []
    for user in users:
        store = SessionStore()
        store.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        store.create()
        sessions.append((user.pk, store.session_key))
    return sessions


class Listeners:
    """Websocket clients in an event loop of their own (a thread): connect, and note each event's
    receipt time (perf_counter, the same clock as the writer's) per event id."""

    def __init__(self, url: str, origin: str) -> None:
        self.url, self.origin = url, origin
        self.received: dict[str, list[float]] = defaultdict(list)
        self.sockets: list = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def connect(self, session_keys: list[str]) -> None:
        self.run(self._connect_all(session_keys), timeout=120)

    async def _connect_all(self, session_keys: list[str]) -> None:
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        await asyncio.gather(*(self._connect(key, gate) for key in session_keys))

    async def _connect(self, session_key: str, gate: asyncio.Semaphore) -> None:
        from websockets.asyncio.client import connect

        headers = {"Cookie": f"sessionid={session_key}", "Origin": self.origin}
        async with gate:
            socket = await connect(self.url, additional_headers=headers, open_timeout=60, max_queue=None)
        self.sockets.append(socket)
        self.loop.create_task(self._listen(socket))

    async def _listen(self, socket) -> None:
        async for message in socket:
            at = time.perf_counter()
            key = self.key_of(json.loads(message))
            if key is None:
                raise RuntimeError(f"unexpected message {message!r}")
            if key is not IGNORED:
                self.received[key].append(at)

    def key_of(self, event: dict):
        """Under what an event's receipt is noted (``IGNORED``: not noted; ``None``: unexpected)."""
        return event["bench"] if event.get("type") == EVENT_TYPE else None

    def wait_for(self, event_id: str, count: int) -> list[float]:
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while len(self.received[event_id]) < count:
            if time.monotonic() > deadline:
                got = len(self.received[event_id])
                raise RuntimeError(
                    f"event {event_id}: {got} of {count} clients heard it in {DELIVERY_TIMEOUT} s"
                )
            time.sleep(0.005)
        return self.received.pop(event_id)

    def close(self) -> None:
        async def close_all():
            await asyncio.gather(*(socket.close() for socket in self.sockets), return_exceptions=True)

        try:
            self.run(close_all(), timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


class RawSender:
    """group_send from one persistent event loop (one set of layer connections, kept)."""

    def __init__(self) -> None:
        from channels.layers import get_channel_layer

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.layer = get_channel_layer()

    def send(self, user_ids: list[int], event: dict) -> float:
        """Send to every user's group, gathered; seconds until all sends returned."""
        from messaging.realtime import USER_EVENT_MESSAGE_TYPE, user_group_name

        async def send_all() -> float:
            started = time.perf_counter()
            message = {"type": USER_EVENT_MESSAGE_TYPE, "event": event}
            await asyncio.gather(*(self.layer.group_send(user_group_name(pk), message) for pk in user_ids))
            return time.perf_counter() - started

        return asyncio.run_coroutine_threadsafe(send_all(), self.loop).result(DELIVERY_TIMEOUT)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def uvicorn_command(port: int) -> list[str]:
    """The websocket role (marketplace.config.asgi under uvicorn) on loopback."""
    command = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application", "--host", "127.0.0.1"]
    return [*command, "--port", str(port), "--lifespan", "off", "--no-access-log"]


def clients(stack: ExitStack, port: int, listeners_class: type[Listeners] = Listeners):
    """Websocket listeners on the uvicorn at ``port`` and a raw sender, closed with ``stack``."""
    listeners = listeners_class(f"ws://127.0.0.1:{port}/ws/events/", f"http://127.0.0.1:{port}")
    stack.callback(listeners.close)
    raw = RawSender()
    stack.callback(raw.close)
    return listeners, raw


def _product_send(user_ids: list[int], event: dict) -> float:
    """The writer: one transaction that sends the event after commit; seconds it was held."""
    from django.db import transaction

    from messaging.realtime import send_event_on_commit

    started = time.perf_counter()
    with transaction.atomic():
        send_event_on_commit(user_ids, event)
    return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _wait_for_log(log_name: str, pattern: str, proc, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{log_name} exited:\n{(LOGS / log_name).read_text()[-3000:]}")
        path = LOGS / log_name
        if path.exists() and re.search(pattern, path.read_text(errors="replace")):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{log_name}: no {pattern!r} in {timeout} s")


def measure(*, quick: bool, database: str) -> list[Row]:
    """Django is set up here on ``database`` (bench.support.use_bench_settings)."""
    import marketplace.config.celery  # noqa: F401  (the project's Celery app: broker, queue)

    counts = (100, 200) if quick else (200, 1_000)
    rounds = 3 if quick else 10
    people = _users(max(counts))
    port = free_port()
    env = server_env(database)
    pid = os.getpid()
    uvicorn = uvicorn_command(port)
    worker = [str(VENV_BIN / "celery"), "-A", "marketplace.config", "worker", "--pool", "solo"]
    worker += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
    rows: list[Row] = []
    with ExitStack() as stack:
        ws = stack.enter_context(running(uvicorn, env=env, log_name=f"bench-uvicorn-{pid}.log"))
        celery = stack.enter_context(running(worker, env=env, log_name=f"bench-worker-{pid}.log"))
        wait_for_http(f"http://127.0.0.1:{port}/healthz", proc=ws, log_name=f"bench-uvicorn-{pid}.log")
        _wait_for_log(f"bench-worker-{pid}.log", r"ready", celery)
        listeners, raw = clients(stack, port)
        connected = 0
        for count in counts:
            listeners.connect([key for _, key in people[connected:count]])
            connected = count
            ids = [pk for pk, _ in people[:count]]
            reset_peak_rss([ws.pid, celery.pid])
            held, raw_sends, product, anchor = [], [], [], []
            for n in range(rounds + 1):  # the first round warms both paths up and is not counted
                event_id = f"product-{count}-{n}"
                started = time.perf_counter()
                hold = _product_send(ids, {"type": EVENT_TYPE, "bench": event_id})
                delays = [at - started for at in listeners.wait_for(event_id, count)]
                event_id = f"raw-{count}-{n}"
                started = time.perf_counter()
                send = raw.send(ids, {"type": EVENT_TYPE, "bench": event_id})
                raw_delays = [at - started for at in listeners.wait_for(event_id, count)]
                if n:
                    held.append(hold)
                    raw_sends.append(send)
                    product += delays
                    anchor += raw_delays
            ws_rss, worker_rss = peak_rss_mb([ws.pid]), peak_rss_mb([celery.pid])
            ms = 1000.0
            rows += [
                Row(
                    f"writer held by send_event_on_commit, {count:,} recipients (median of {rounds})",
                    statistics.median(held) * ms,
                    f"raw group_send to all {count:,}, gathered, one persistent loop",
                    statistics.median(raw_sends) * ms,
                    unit="ms",
                    higher_is_better=False,
                    limit=50.0,
                    peak_rss_mb=worker_rss,
                    rss_of="Celery worker",
                ),
                Row(
                    f"delivery p99 to {count:,} websocket clients (send_event_on_commit, task)",
                    _percentile(product, 0.99) * ms,
                    f"raw group_send p99, same {count:,} clients",
                    _percentile(anchor, 0.99) * ms,
                    unit="ms",
                    higher_is_better=False,
                    target=0.5,
                    peak_rss_mb=ws_rss,
                    rss_of="uvicorn",
                ),
                Row(
                    f"delivery p50 to {count:,} websocket clients (send_event_on_commit, task)",
                    _percentile(product, 0.5) * ms,
                    f"raw group_send p50, same {count:,} clients",
                    _percentile(anchor, 0.5) * ms,
                    unit="ms",
                    higher_is_better=False,
                ),
            ]
    return rows
