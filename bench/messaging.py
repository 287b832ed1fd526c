"""Messaging end to end: messages posted over HTTP reach the other side's websocket, against the raw
channel layer measured in the same run.

The production shape on loopback: gunicorn (3 sync workers, ``bench.settings``) takes
``POST /api/conversations/<id>/messages/`` and ``message_post`` pushes ``message.new`` after commit
through the per-user event log; uvicorn serves ``/ws/events/`` over the Redis pub/sub layer. N
websocket clients (200 and 1,000; quick: 20 and 40), each its own logged-in user, in N/2 direct
conversations of two. For each N:

- the anchor: ``group_send`` of a ping to one recipient's group at a time, from one persistent
  event loop, at the fixed rate: the delay from the send to its receipt (p50, p99);
- the product: messages posted over HTTP at the same fixed rate (``RATE`` a second, each by the
  next conversation's first person, so nobody nears ``MESSAGES_PER_MINUTE``): the delay from the
  moment the client sends the request to the receipt of ``message.new`` by the other person, and
  how long the POST took (its answer comes after the push: the push runs in the commit hook).

Rows: delivery p99 against twice the raw layer's p99 plus the POST's p99 (the issue's target:
ratio ≥ 1), delivery p50 against the raw layer's p50, and messages delivered a second against
the rate offered (the first post's send to the last receipt). Every wait is bounded.
"""

import asyncio
import os
import time
from contextlib import ExitStack

from bench.fanout import EVENT_TYPE, IGNORED, Listeners, _percentile, _users, clients, uvicorn_command
from bench.support import (
    free_port,
    gunicorn,
    peak_rss_mb,
    reset_peak_rss,
    running,
    server_env,
    wait_for_http,
)
from bench.table import Row

RATE = 10.0  # messages a second, offered (gunicorn with 3 workers kept up with ~13 on the shared machine)
SECONDS = 20.0
QUICK_RATE = 10.0
QUICK_SECONDS = 3.0
DELIVERY_TIMEOUT = 60.0
WARM_UP = 6  # posts, two for each gunicorn worker
CSRF_SECRET = "benchcsrfsecret0123456789abcdefg"  # 32 characters: Django accepts it as the token


def _conversations(people: list[tuple[int, str]]) -> list[tuple[int, str, int]]:
    """A direct conversation for each pair of people: (conversation id, sender's session key,
    recipient's user id)."""
    from django.db import connection

    from messaging.models import Conversation, Participant

    pairs = list(zip(people[0::2], people[1::2], strict=True))
    conversations = Conversation.objects.bulk_create(
        Conversation(kind=Conversation.Kind.DIRECT, direct_pair=f"{a}:{b}", title=f"Bench {a} and {b}")
        for (a, _), (b, _) in pairs
    )
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user_id=user_id, side=side)
        for conversation, ((a, _), (b, _)) in zip(conversations, pairs, strict=True)
        for user_id, side in ((a, Participant.Side.CLIENT), (b, Participant.Side.FREELANCER))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [
        (conversation.pk, a_key, b)
        for conversation, ((_, a_key), (b, _)) in zip(conversations, pairs, strict=True)
    ]


class MessageListeners(Listeners):
    """Notes the receipt of each ``message.new`` by the other person (the sender's own pages get it
    with ``unread`` 0) under ``("new", message id)``, and the raw pings under their ``bench`` key."""

    def key_of(self, event: dict):
        if event.get("type") == "message.new":
            return ("new", event["message"]["id"]) if event["unread"] else IGNORED
        return super().key_of(event)

    def wait_all(self, keys: list, timeout: float = DELIVERY_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while any(not self.received.get(key) for key in keys):
            if time.monotonic() > deadline:
                missing = sum(1 for key in keys if not self.received.get(key))
                raise RuntimeError(f"{missing} of {len(keys)} deliveries missing after {timeout} s")
            time.sleep(0.01)
        return {key: self.received.pop(key)[0] for key in keys}


def _paced(count: int, rate: float):
    """The start of each of ``count`` slots, ``rate`` a second from now (sleeping until each)."""
    start = time.perf_counter()
    for index in range(count):
        wait = start + index / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        yield index


async def _post_all(base: str, plan: list[tuple[int, str]], rate: float) -> list[tuple[int, float, float]]:
    """POST each planned message at the fixed rate, concurrently; (message id, sent, answered)."""
    import httpx

    origin = base.replace("http://", "https://")
    headers = {"X-Forwarded-Proto": "https", "Origin": origin, "X-CSRFToken": CSRF_SECRET}

    async def post(http, index: int, conversation_id: int, session_key: str) -> tuple[int, float, float]:
        sent = time.perf_counter()
        response = await http.post(
            f"/api/conversations/{conversation_id}/messages/",
            json={"body": f"Bench message {index}: is the **draft** ready?"},
            headers={
                "Cookie": f"sessionid={session_key}; csrftoken={CSRF_SECRET}",
                "X-Forwarded-For": f"10.{index % 250}.{index // 250 % 250}.9",
            },
        )
        answered = time.perf_counter()
        if response.status_code != 201:
            raise RuntimeError(f"POST answered {response.status_code}: {response.text[:300]}")
        return response.json()["id"], sent, answered

    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as http:
        tasks = []
        start = time.perf_counter()
        for index, (conversation_id, session_key) in enumerate(plan):
            wait = start + index / rate - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(post(http, index, conversation_id, session_key)))
        return await asyncio.gather(*tasks)


def measure(*, quick: bool, database: str) -> list[Row]:
    """Django is set up here on ``database`` (bench.support.use_bench_settings)."""
    counts = (20, 40) if quick else (200, 1_000)
    rate, seconds = (QUICK_RATE, QUICK_SECONDS) if quick else (RATE, SECONDS)
    messages = int(rate * seconds)
    people = _users(max(counts))
    conversations = _conversations(people)
    port = free_port()
    pid = os.getpid()
    uvicorn = uvicorn_command(port)
    rows: list[Row] = []
    ms = 1000.0
    with ExitStack() as stack:
        log_name = f"bench-messaging-uvicorn-{pid}.log"
        ws = stack.enter_context(running(uvicorn, env=server_env(database), log_name=log_name))
        wait_for_http(f"http://127.0.0.1:{port}/healthz", proc=ws, log_name=log_name)
        web = stack.enter_context(gunicorn(database, MESSAGES_PER_MINUTE="1000000"))
        listeners, raw = clients(stack, port, MessageListeners)
        connected = 0
        for count in counts:
            listeners.connect([key for _, key in people[connected:count]])
            connected = count
            pairs = conversations[: count // 2]
            reset_peak_rss([ws.pid, *web.processes()])

            sent_at = {}
            for index in _paced(messages, rate):
                key = f"raw-{count}-{index}"
                sent_at[key] = time.perf_counter()
                raw.send([pairs[index % len(pairs)][2]], {"type": EVENT_TYPE, "bench": key})
            received = listeners.wait_all(list(sent_at))
            raw_delays = [received[key] - sent_at[key] for key in sent_at]

            plan = [(pairs[index % len(pairs)][0], pairs[index % len(pairs)][1]) for index in range(messages)]
            # Not counted: every gunicorn worker's first requests (connections, lazy imports).
            warm = listeners.run(_post_all(web.base, plan[:WARM_UP], rate), timeout=DELIVERY_TIMEOUT)
            listeners.wait_all([("new", message_id) for message_id, _, _ in warm])
            posted = listeners.run(_post_all(web.base, plan, rate), timeout=seconds + DELIVERY_TIMEOUT)
            received = listeners.wait_all([("new", message_id) for message_id, _, _ in posted])
            first_sent = min(sent for _, sent, _ in posted)
            finished = max(received.values())
            delays = [received[("new", message_id)] - sent for message_id, sent, _ in posted]
            post_times = [answered - sent for _, sent, answered in posted]
            raw_p99, post_p99 = _percentile(raw_delays, 0.99), _percentile(post_times, 0.99)
            audience = f"{count:,} websocket clients in {count // 2:,} conversations of two"
            rows += [
                Row(
                    f"message delivery p99, HTTP post to websocket, {audience}, {rate:g}/s",
                    _percentile(delays, 0.99) * ms,
                    f"twice raw group_send p99 ({raw_p99 * ms:.2f} ms) + POST p99 ({post_p99 * ms:.1f} ms)",
                    (2 * raw_p99 + post_p99) * ms,
                    unit="ms",
                    higher_is_better=False,
                    target=1.0,
                    peak_rss_mb=peak_rss_mb([ws.pid]),
                    rss_of="uvicorn",
                ),
                Row(
                    f"message delivery p50, {audience}",
                    _percentile(delays, 0.5) * ms,
                    "raw group_send p50, same clients and rate",
                    _percentile(raw_delays, 0.5) * ms,
                    unit="ms",
                    higher_is_better=False,
                    peak_rss_mb=peak_rss_mb(web.processes()),
                    rss_of="gunicorn worker",
                ),
                Row(
                    f"messages delivered/s, {audience}",
                    (len(delays) - 1) / (finished - first_sent),
                    f"messages offered/s ({messages:,} posts)",
                    rate,
                    target=0.9,
                ),
            ]
    return rows
