"""Every logged-in page says where its websocket starts counting: <body data-last-event-id>, one
query on the user's event cursor, and loads realtime.js before the scripts that subscribe to it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.realtime import send_event_on_commit
from messaging.services.conversations import conversation_for_contract
from messaging.services.messages import message_post
from tests.factories import make_contract, make_freelancer

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("frontend:dashboard")


def _body(html: str) -> str:
    match = re.search(r"<body[^>]*>", html)
    assert match, "no body tag"
    return match.group(0)


def test_a_logged_in_page_starts_from_the_users_last_event_id(client):
    user = make_freelancer()
    client.force_login(user)
    assert 'data-last-event-id="0"' in _body(client.get(DASHBOARD).content.decode())

    for n in range(3):
        send_event_on_commit([user.pk], {"type": "test", "n": n})
    html = client.get(DASHBOARD).content.decode()
    assert 'data-last-event-id="3"' in _body(html)
    scripts = re.findall(r'<script src="[^"]*/(realtime|notifications)\.js" nonce="[^"]+" defer>', html)
    assert scripts == ["realtime", "notifications"]


def test_visitors_get_no_event_id_and_no_cursor_query(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("frontend:landing")).content.decode()
    assert "data-last-event-id" not in html
    assert "realtime.js" not in html
    assert not any("messaging_usereventcursor" in query["sql"] for query in queries.captured_queries)


def test_the_event_id_costs_one_query_by_primary_key(client, settings):
    user = make_freelancer()
    send_event_on_commit([user.pk], {"type": "test"})
    client.force_login(user)
    client.get(DASHBOARD)

    def cursor_queries() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        sqls = [query["sql"] for query in captured.captured_queries]
        return len(sqls), [sql for sql in sqls if "messaging_usereventcursor" in sql]

    total, reads = cursor_queries()
    assert len(reads) == 1
    assert '"messaging_usereventcursor"."user_id" = ' in reads[0]
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    options = {
        **settings.TEMPLATES[0]["OPTIONS"],
        "context_processors": [p for p in processors if p != "frontend.context_processors.realtime"],
    }
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": options}]
    assert cursor_queries() == (total - 1, [])


def test_the_conversation_page_reads_its_event_id_before_the_messages(client):
    """A message committed while the panel loads must come after the page's starting id, so the
    page reads the id first (the panel's data, then the body tag, would skip it)."""
    contract = make_contract()
    conversation = conversation_for_contract(contract)
    message_post(acting_user=contract.client, conversation_id=conversation.pk, body="Hello")
    client.force_login(contract.freelancer)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("frontend:conversation", args=[conversation.pk])).content.decode()
    assert "Hello" in html
    sqls = [query["sql"] for query in captured.captured_queries]
    cursor = next(n for n, sql in enumerate(sqls) if 'FROM "messaging_usereventcursor"' in sql)
    first_message = next(n for n, sql in enumerate(sqls) if 'FROM "messaging_message"' in sql)
    assert cursor < first_message
    assert sum('FROM "messaging_usereventcursor"' in sql for sql in sqls) == 1
