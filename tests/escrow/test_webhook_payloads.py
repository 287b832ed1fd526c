"""A correctly signed webhook whose payload is not an event object (a list, a string, an object without
an id or type, ``data`` that is not an object, nesting past the limit) is refused with a 400
``invalid_event`` and stores nothing; it was a 500. Signed with the endpoint's secret, as Stripe signs."""

import json

import pytest
from django.conf import settings

from escrow.models import WebhookEvent
from tests.support.fake_stripe import sign_payload

pytestmark = pytest.mark.django_db

NOT_EVENTS = {
    "list": "[]",
    "string": '"evt_1"',
    "number": "12",
    "empty-object": "{}",
    "no-type": json.dumps({"id": "evt_1", "object": "event"}),
    "id-not-a-string": json.dumps({"id": 5, "type": "charge.updated", "object": "event"}),
    "data-not-an-object": json.dumps({"id": "evt_2", "type": "charge.updated", "data": "x"}),
    "object-not-an-object": json.dumps({"id": "evt_3", "type": "charge.updated", "data": {"object": [1]}}),
    "metadata-not-an-object": json.dumps(
        {"id": "evt_4", "type": "charge.updated", "data": {"object": {"id": "ch_1", "metadata": [1]}}}
    ),
    "deep": "[" * 5000 + "]" * 5000,
}


def _post(client, payload: str):
    signature = sign_payload(payload, settings.STRIPE_WEBHOOK_SECRET)
    return client.post(
        "/stripe/webhook/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


@pytest.mark.parametrize("payload", NOT_EVENTS.values(), ids=NOT_EVENTS.keys())
def test_a_signed_payload_that_is_not_an_event_is_a_400_and_stores_nothing(client, payload):
    client.raise_request_exception = False
    response = _post(client, payload)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_event"
    assert not WebhookEvent.objects.exists()


def test_a_signed_event_is_still_stored(client):
    event = {"id": "evt_ok", "type": "account.updated", "data": {"object": {"id": "acct_1"}}}
    response = _post(client, json.dumps(event))
    assert response.status_code == 200, response.content
    assert WebhookEvent.objects.filter(event_id="evt_ok", type="account.updated").exists()
