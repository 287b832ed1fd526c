"""The websocket of every logged-in page (``/ws/events/``): pushes the user's events, in id order.

Channels hands one consumer its messages one at a time (frames from the page and events from the
group alike), so a replay runs to its end before the next live event is looked at; ``last_id``
(the newest id this connection has sent) then drops what the replay already gave, and a live
event that arrives ahead of an earlier one (two writers' pushes can cross) makes the consumer fetch
the missing ones from the log first.
"""

import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from marketplace.core import json_nesting

from .realtime import (
    deliveries_send,
    error_event,
    pong_event,
    reload_event,
    typing_event,
    user_group_name,
)
from .selectors.realtime import events_after, typing_recipients
from .services.events import presence_record

# Close codes (4000-4999 are free for applications): no logged-in session; a frame that is not a
# JSON object; a frame over MAX_FRAME_BYTES.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_INVALID_FRAME = 4400
CLOSE_FRAME_TOO_LARGE = 4413
CLOSE_TOO_MANY_RESUMES = 4429
# The page sends small control frames only (resume, typing, ping).
MAX_FRAME_BYTES = 4096
# A page announces typing at most this often (the indicator lasts a few seconds on the other side).
TYPING_INTERVAL_SECONDS = 2.0
# A page of ours resumes once per connection and after a gap; each resume reads the log (up to
# USER_EVENTS_REPLAY_MAX events), so more than this many within the window closes the socket.
RESUMES_PER_WINDOW = 10
RESUME_WINDOW_SECONDS = 10.0


def _id(value) -> int | None:
    """A non-negative integer from a frame (JSON ``true`` is not 1), or ``None``."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
    """One per open page: joins the user's group, forwards its events once and in order, replays
    what the page missed, relays typing to a conversation's other participants, records presence."""

    group_name: str | None = None
    last_id: int | None = None
    typing_at: float = float("-inf")
    presence_at: float = float("-inf")
    resumes_at: tuple[float, ...] = ()

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated:
            # Accept first: a handshake refused before accept reaches the browser as a bare 403,
            # while a close code tells the page's script to stop reconnecting and log in.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.group_name = user_group_name(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        await self._presence(force=True)

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)
            await self._presence(force=True)

    # --- From the page ---------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Frames are small JSON objects; anything else is answered with an error and the socket is
        closed (a page of ours never sends one), without a traceback in the log."""
        if text_data is None:
            await self._refuse_and_close("invalid_frame", "Frames must be JSON text, not binary.")
        elif len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
            message = f"Frames must be at most {MAX_FRAME_BYTES} bytes."
            await self._refuse_and_close("frame_too_large", message, close_code=CLOSE_FRAME_TOO_LARGE)
        elif json_nesting.nested_deeper_than(text_data):
            await self._refuse_and_close(json_nesting.CODE, json_nesting.MESSAGE)
        else:
            try:
                content = json.loads(text_data)
            except ValueError:
                await self._refuse_and_close("invalid_frame", "Frames must be JSON.")
                return
            if not isinstance(content, dict):
                await self._refuse_and_close("invalid_frame", "Frames must be JSON objects.")
                return
            await self.receive_json(content)

    async def receive_json(self, content: dict, **kwargs) -> None:
        if self.group_name is None:
            return  # closing: not logged in
        kind = content.get("type")
        if kind == "resume":
            await self._resume(content)
        elif kind == "typing":
            await self._typing(content)
        elif kind == "ping":
            await self._presence(force=False)
            await self.send_json(pong_event())
        else:
            await self._refuse("unknown_frame", "Frames are resume, typing or ping.")

    async def _resume(self, content: dict) -> None:
        after = _id(content.get("after"))
        if after is None:
            await self._refuse("invalid_frame", 'A resume frame needs "after": the last id the page saw.')
            return
        if after == self.last_id:
            return  # caught up already: every later event comes live (or heals its own gap)
        now = time.monotonic()
        self.resumes_at = (*(at for at in self.resumes_at if now - at < RESUME_WINDOW_SECONDS), now)
        if len(self.resumes_at) > RESUMES_PER_WINDOW:
            message = f"At most {RESUMES_PER_WINDOW} resumes in {RESUME_WINDOW_SECONDS:g} seconds."
            await self._refuse_and_close("too_many_resumes", message, close_code=CLOSE_TOO_MANY_RESUMES)
            return
        await self._replay(after)

    async def _typing(self, content: dict) -> None:
        conversation_id = _id(content.get("conversation"))
        if conversation_id is None:
            await self._refuse("invalid_frame", 'A typing frame needs "conversation": its id.')
            return
        now = time.monotonic()
        if now - self.typing_at < TYPING_INTERVAL_SECONDS:
            return  # the others already see this person typing (and a flood costs no queries)
        self.typing_at = now
        recipients = await database_sync_to_async(typing_recipients)(self.user_id, conversation_id)
        if recipients is None:
            await self._refuse("conversation_not_found", "No such conversation.")
            return
        user = self.scope["user"]
        event = typing_event(
            conversation_id=conversation_id, user_id=self.user_id, name=user.full_name or "Someone"
        )
        await deliveries_send((recipient, event) for recipient in recipients)

    async def _presence(self, *, force: bool) -> None:
        """Write ``last_seen_at`` on connect and disconnect, and on a ping unless this connection
        wrote it less than half a heartbeat ago: pings come every ``REALTIME_HEARTBEAT_SECONDS``, and
        with a full interval a ping arriving a little early would skip a write and leave a gap."""
        now = time.monotonic()
        if not force and now - self.presence_at < settings.REALTIME_HEARTBEAT_SECONDS / 2:
            return
        self.presence_at = now
        await database_sync_to_async(presence_record)(user_id=self.user_id)

    async def _refuse(self, code: str, message: str) -> None:
        await self.send_json(error_event(code=code, message=message))

    async def _refuse_and_close(
        self, code: str, message: str, *, close_code: int = CLOSE_INVALID_FRAME
    ) -> None:
        await self._refuse(code, message)
        await self.close(code=close_code)

    # --- To the page -----------------------------------------------------------------------------

    async def _replay(self, after: int) -> None:
        """Send the stored events after ``after`` in order, or tell the page to reload."""
        events = await database_sync_to_async(events_after)(self.user_id, after)
        if events is None:
            self.last_id = None  # the page starts over from the next live event
            await self.send_json(reload_event())
            return
        for event in events:
            await self.send_json(event)
        self.last_id = events[-1]["id"] if events else after

    async def user_event(self, message: dict) -> None:
        event = message["event"]
        event_id = event.get("id")
        if not isinstance(event_id, int):  # ephemeral (typing): not in the log
            await self.send_json(event)
        elif self.last_id is None or event_id == self.last_id + 1:
            self.last_id = event_id
            await self.send_json(event)
        elif event_id > self.last_id:
            await self._replay(self.last_id)  # an earlier event's push is still on its way
