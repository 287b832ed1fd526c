"""Push events to people's open pages over the channel layer, through the per-user event log.

Writes happen over HTTP in services. Inside the writer's transaction each recipient's event is
stored as a ``UserEvent`` with that user's next ``seq`` (the cursor rows are locked in user-id
order, so concurrent writers never deadlock on each other and a user's events commit in ``seq``
order, with no gaps); once the transaction commits, ``{**event, "id": seq}`` goes to the user's
group, which every websocket connection of that user has joined (``UserEventsConsumer``). A page
that was away asks for everything after its last id (``selectors.realtime.events_after``).

All of one call's sends share one event loop (one set of connections to the layer) and run
together; a call for more than ``REALTIME_FANOUT_INLINE_MAX`` people is sent by a task, so the
writer's request does not wait for a large fan-out. Typing indicators are ephemeral: pushed at
once with no id and never stored (``send_ephemeral``).
"""

import asyncio
import json
from collections.abc import Iterable, Mapping
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.core.task_queue import queue_task_on_commit

from .models import UserEvent, UserEventCursor

# The consumer's handler for these messages is ``user_event`` (Channels maps "." to "_").
USER_EVENT_MESSAGE_TYPE = "user.event"


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


# --- After commit: the sends -----------------------------------------------------------------------


async def deliveries_send(deliveries: Iterable[tuple[int, dict]]) -> None:
    """Send each ``(user id, event)`` to that user's group, all together on this loop."""
    layer = get_channel_layer()
    await asyncio.gather(
        *(
            layer.group_send(user_group_name(user_id), {"type": USER_EVENT_MESSAGE_TYPE, "event": event})
            for user_id, event in deliveries
        )
    )


def events_send(batches: list) -> None:
    """Send stored events now: ``batches`` is ``[[event, [[user id, seq], …]], …]`` (the task's
    JSON-serialisable arguments; one payload shared by many recipients is not repeated per person)."""
    async_to_sync(deliveries_send)(
        (user_id, {**event, "id": seq}) for event, recipients in batches for user_id, seq in recipients
    )


def send_ephemeral(user_ids: Iterable[int], event: dict) -> None:
    """Push ``event`` to the users' open pages now, without an id and without storing it (typing:
    worthless a few seconds later, so neither replayed nor tied to a transaction)."""
    async_to_sync(deliveries_send)((user_id, event) for user_id in sorted(set(user_ids)))


# --- In the writer's transaction: the log -----------------------------------------------------------


def _seqs_take(user_ids: list[int]) -> dict[int, int]:
    """Hand each of these users the next ``seq``: one upsert that creates a missing cursor at 1 and
    adds 1 to an existing one, locking each row as it goes, in user-id order (so two writers never
    wait on each other in a cycle), until the transaction ends; a user's events therefore commit in
    ``seq`` order, and a rolled-back number is given again. Ids of deleted accounts drop out."""
    cursors = UserEventCursor._meta
    users = cursors.get_field("user").related_model._meta
    q = connection.ops.quote_name
    table, user_column, seq_column = q(cursors.db_table), q(cursors.get_field("user").column), q("last_seq")
    user_table, user_pk = q(users.db_table), q(users.pk.column)
    placeholders = ", ".join(["%s"] * len(user_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS cursor_row ({user_column}, {seq_column}) "  # noqa: S608 - names from _meta
            f"SELECT {user_pk}, 1 FROM {user_table} WHERE {user_pk} IN ({placeholders}) ORDER BY {user_pk} "
            f"ON CONFLICT ({user_column}) DO UPDATE SET {seq_column} = cursor_row.{seq_column} + 1 "
            f"RETURNING {user_column}, {seq_column}",
            user_ids,
        )
        return dict(sorted(cursor.fetchall()))


def _events_store(seqs: dict[int, int], events: Mapping[int, dict]) -> None:
    """One ``UserEvent`` per user. On PostgreSQL one ``INSERT … SELECT FROM unnest(…)`` with each
    distinct payload serialised once: ``bulk_create`` spent ~35 ms building 1,000 model instances,
    most of what the writer was held for a large fan-out."""
    if connection.vendor != "postgresql":
        UserEvent.objects.bulk_create(
            UserEvent(user_id=user_id, seq=seq, payload=events[user_id]) for user_id, seq in seqs.items()
        )
        return
    serialised: dict[int, str] = {}
    payloads = []
    for user_id in seqs:
        event = events[user_id]
        if id(event) not in serialised:
            serialised[id(event)] = json.dumps(event)
        payloads.append(serialised[id(event)])
    meta = UserEvent._meta
    q = connection.ops.quote_name
    columns = ", ".join(q(meta.get_field(name).column) for name in ("user", "seq", "payload", "created_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(meta.db_table)} ({columns}) SELECT u, s, p::jsonb, %s "  # noqa: S608 - names from _meta
            "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS t(u, s, p)",
            [timezone.now(), list(seqs), list(seqs.values()), payloads],
        )


def send_events_on_commit(events: Mapping[int, dict]) -> None:
    """Log each user's own event (``{user id: event}``; the payloads may differ, e.g. an unread count)
    with the user's next id, and push it after commit; nothing is stored or sent on rollback.

    Two statements whatever the number of recipients. Call it once per change with every
    recipient, not once per recipient: each call locks its recipients' cursors until commit.
    """
    user_ids = sorted(events)
    if not user_ids:
        return
    with transaction.atomic(savepoint=False):
        seqs = _seqs_take(user_ids)
        if not seqs:
            return  # nobody of these has an account any more
        _events_store(seqs, events)
        batches: dict[int, list] = {}
        for user_id, seq in seqs.items():
            batches.setdefault(id(events[user_id]), [events[user_id], []])[1].append([user_id, seq])
        arguments = list(batches.values())
        if len(seqs) > settings.REALTIME_FANOUT_INLINE_MAX:
            queue_task_on_commit("messaging.events_send", arguments)
        else:
            transaction.on_commit(partial(events_send, arguments))


def send_event_on_commit(user_ids: Iterable[int], event: dict) -> None:
    """Log ``event`` (JSON-serialisable) for each user and deliver it to their open pages after
    commit, with each user's own id."""
    send_events_on_commit(dict.fromkeys(user_ids, event))


# --- Event shapes (the pages' scripts read these) -----------------------------------------------


def notification_event(*, unread: int, title: str) -> dict:
    """A new notification arrived; ``unread`` is the recipient's unread count after it."""
    return {"type": "notification", "unread": unread, "title": title}


def notifications_read_event(*, unread: int) -> dict:
    """Notifications were marked read (on another page, perhaps); the new unread count."""
    return {"type": "notifications.read", "unread": unread}


def typing_event(*, conversation_id: int, user_id: int, name: str) -> dict:
    """Someone is typing in a conversation (ephemeral: no id, not replayed)."""
    return {"type": "typing", "conversation": conversation_id, "user": user_id, "name": name}


def reload_event() -> dict:
    """The page asked to resume from an id that is no longer kept (or never was): reload."""
    return {"type": "reload"}


def pong_event() -> dict:
    """The answer to a page's heartbeat."""
    return {"type": "pong"}


def error_event(*, code: str, message: str) -> dict:
    """The consumer could not act on a frame the page sent."""
    return {"type": "error", "code": code, "message": message}


# Conversations (``messaging.services.messages``); ``message`` is ``payloads.message_data``.


def message_new_event(*, conversation_id: int, message: dict, unread: int, unread_total: int) -> dict:
    """A message arrived; ``unread`` is this recipient's unread in the conversation, ``unread_total``
    across all of theirs (the navigation's count)."""
    return {
        "type": "message.new",
        "conversation": conversation_id,
        "message": message,
        "unread": unread,
        "unread_total": unread_total,
    }


def message_edited_event(*, conversation_id: int, message: dict) -> dict:
    return {"type": "message.edited", "conversation": conversation_id, "message": message}


def message_deleted_event(
    *, conversation_id: int, message_id: int, unread: int | None = None, unread_total: int | None = None
) -> dict:
    """A message was deleted; a recipient who had not read it also gets their new ``unread`` and
    ``unread_total`` (it no longer counts)."""
    event = {"type": "message.deleted", "conversation": conversation_id, "message_id": message_id}
    if unread is not None:
        event |= {"unread": unread, "unread_total": unread_total}
    return event


def conversation_read_event(
    *, conversation_id: int, user_id: int, last_read_message_id: int, unread_total: int | None = None
) -> dict:
    """``user_id`` read up to ``last_read_message_id``; ``unread_total`` only in the reader's own."""
    event = {
        "type": "conversation.read",
        "conversation": conversation_id,
        "user": user_id,
        "last_read_message_id": last_read_message_id,
    }
    if unread_total is not None:
        event["unread_total"] = unread_total
    return event
