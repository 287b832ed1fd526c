import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from marketplace.core import json_nesting

from .realtime import error_event, user_group_name

# Close code for a connection without a logged-in session (4000-4999 are free for applications).
CLOSE_UNAUTHENTICATED = 4401


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
    """One per open page: joins the user's group and forwards what is sent to it. Push only."""

    group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated:
            # Accept first: a handshake refused before accept reaches the browser as a bare 403,
            # while a close code tells the page's script to stop reconnecting and log in.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group_name = user_group_name(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Frames from the page are JSON objects (and not acted on yet); anything else gets an error
        frame instead of crashing the connection."""
        if text_data is None:
            await self._refuse("invalid_frame", "Frames must be JSON text, not binary.")
        elif json_nesting.nested_deeper_than(text_data):
            await self._refuse(json_nesting.CODE, json_nesting.MESSAGE)
        else:
            try:
                content = json.loads(text_data)
            except ValueError:
                await self._refuse("invalid_frame", "Frames must be JSON.")
                return
            if not isinstance(content, dict):
                await self._refuse("invalid_frame", "Frames must be JSON objects.")
                return
            await self.receive_json(content)

    async def _refuse(self, code: str, message: str) -> None:
        await self.send_json(error_event(code=code, message=message))

    async def user_event(self, message: dict) -> None:
        await self.send_json(message["event"])
