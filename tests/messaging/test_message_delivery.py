"""With real commits, the ASGI application and the Redis channel layer: a new message reaches the
participants' open pages, and nobody else's — not even a member of the same organisation whose role
does not act on the contract."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from marketplace.organisations.models import Role
from messaging.services.messages import message_post
from tests.messaging.conversation_cast import build_cast
from tests.support.websockets import communicator as _communicator
from tests.support.websockets import session_cookie as _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def _frames(ws, seconds: float) -> list[dict]:
    """Every frame the page gets within ``seconds``."""
    frames = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        if await ws.receive_nothing(timeout=min(left, 0.2)):
            continue
        frames.append(await ws.receive_json_from())
    return frames


def test_a_message_reaches_the_participants_pages_only():
    cast = build_cast()
    conversation = cast.contract_conversation()
    finance, viewer = cast.roles[Role.FINANCE], cast.roles[Role.VIEWER]
    cookies = {user.pk: _session_cookie(user) for user in (finance, viewer, cast.outsider)}

    async def scenario():
        pages = {pk: _communicator(cookie=cookie) for pk, cookie in cookies.items()}
        for page in pages.values():
            assert (await page.connect())[0]
        message = await sync_to_async(message_post)(
            acting_user=cast.freelancer, conversation_id=conversation.pk, body="Delivered **live**"
        )
        received = {pk: await _frames(page, 2.0) for pk, page in pages.items()}
        new = [frame for frame in received[finance.pk] if frame.get("type") == "message.new"]
        assert len(new) == 1, received[finance.pk]
        assert new[0]["message"]["id"] == message.pk
        assert new[0]["message"]["body_html"] == "<p>Delivered <strong>live</strong></p>\n"
        assert (new[0]["unread"], new[0]["unread_total"]) == (1, 1)
        for outsider in (viewer.pk, cast.outsider.pk):
            assert not [frame for frame in received[outsider] if frame.get("type", "").startswith("message")]
        for page in pages.values():
            await page.disconnect()

    async_to_sync(scenario)()
