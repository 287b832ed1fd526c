"""Websocket clients of ``/ws/events/`` through the real ASGI application (and so the Redis channel
layer of the test settings), logged in with a real session cookie."""

from channels.testing import WebsocketCommunicator
from django.test import Client

from marketplace.config.asgi import application


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def communicator(*, cookie: bytes = b"", origin: bytes = b"http://localhost") -> WebsocketCommunicator:
    headers = [(b"host", b"localhost"), (b"origin", origin)]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/events/", headers=headers)


async def received_all(ws: WebsocketCommunicator, *, quiet: float = 0.5) -> list[dict]:
    """Every JSON frame the socket sends until it has been quiet for ``quiet`` seconds."""
    frames = []
    while not await ws.receive_nothing(timeout=quiet):
        frames.append(await ws.receive_json_from(timeout=5))
    return frames
