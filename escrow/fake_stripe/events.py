"""Events (list, retrieve) and webhook endpoints (create — the only answer showing the signing
``secret``, as on Stripe — list, retrieve, update, delete)."""

import re

from escrow.fake_stripe import forms
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, now, page, random_token, render
from escrow.fake_stripe.webhooks import Target, matches

ENDPOINT_PARAMS = {"url", "enabled_events", "description", "metadata", "api_version", "connect", "disabled"}
_EVENT_PATTERN = re.compile(r"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$")


def new_secret() -> str:
    return "whsec_" + random_token(32)


def endpoint_targets(store: Store, event_type: str) -> list[Target]:
    return [
        Target(endpoint["id"], endpoint["url"], store.hidden(endpoint["id"])["secret"])
        for endpoint in reversed(store.all("webhook_endpoint"))
        if endpoint["status"] == "enabled" and matches(endpoint["enabled_events"], event_type)
    ]


@route("GET", "/v1/events")
def list_events(store: Store, call: Call):
    wanted = forms.text(call.params, "type")
    types = forms.string_list(call.params, "types")
    events = store.all("event")
    if wanted:
        events = [event for event in events if matches([wanted], event["type"])]
    if types:
        events = [event for event in events if matches(types, event["type"])]
    return page(store, events, call, "/v1/events")


@route("GET", "/v1/events/{event_id}")
def retrieve_event(store: Store, call: Call, event_id: str):
    return render(store, store.require(event_id, "event"))


def _url(params: dict, required: bool) -> str | None:
    url = forms.text(params, "url", required=required)
    if url is not None and not url.startswith(("http://", "https://")):
        raise invalid(f"Invalid URL: {url}. URLs must begin with http:// or https://", param="url")
    return url


def _enabled_events(params: dict) -> list[str]:
    events = forms.string_list(params, "enabled_events")
    for index, name in enumerate(events):
        if not _EVENT_PATTERN.match(name):
            raise invalid(
                f"Invalid enabled_events[{index}]: {name} is not a valid event type",
                param=f"enabled_events[{index}]",
            )
    return events


@route("POST", "/v1/webhook_endpoints")
def create_webhook_endpoint(store: Store, call: Call):
    params = call.params
    forms.check_known(params, ENDPOINT_PARAMS - {"disabled"})
    url = _url(params, required=True)
    events = _enabled_events(params)
    if not events:
        raise forms.missing("enabled_events")
    endpoint = {
        "id": store.new_id("we"),
        "object": "webhook_endpoint",
        "api_version": forms.text(params, "api_version"),
        "application": None,
        "created": now(),
        "description": forms.text(params, "description"),
        "enabled_events": events,
        "livemode": False,
        "metadata": forms.apply_metadata({}, params.get("metadata")),
        "status": "enabled",
        "url": url,
    }
    secret = new_secret()
    store.add(endpoint, secret=secret)
    return render(store, endpoint) | {"secret": secret}


@route("GET", "/v1/webhook_endpoints")
def list_webhook_endpoints(store: Store, call: Call):
    return page(store, store.all("webhook_endpoint"), call, "/v1/webhook_endpoints")


@route("GET", "/v1/webhook_endpoints/{endpoint_id}")
def retrieve_webhook_endpoint(store: Store, call: Call, endpoint_id: str):
    return render(store, store.require(endpoint_id, "webhook_endpoint"))


@route("POST", "/v1/webhook_endpoints/{endpoint_id}")
def update_webhook_endpoint(store: Store, call: Call, endpoint_id: str):
    params = call.params
    forms.check_known(params, ENDPOINT_PARAMS - {"api_version", "connect"})
    endpoint = store.require(endpoint_id, "webhook_endpoint")
    if "url" in params:
        endpoint["url"] = _url(params, required=True)
    if "enabled_events" in params:
        endpoint["enabled_events"] = _enabled_events(params) or endpoint["enabled_events"]
    if "description" in params:
        endpoint["description"] = forms.text(params, "description")
    if "disabled" in params:
        endpoint["status"] = "disabled" if forms.boolean(params, "disabled") else "enabled"
    endpoint["metadata"] = forms.apply_metadata(endpoint["metadata"], params.get("metadata"))
    return render(store, endpoint)


@route("DELETE", "/v1/webhook_endpoints/{endpoint_id}")
def delete_webhook_endpoint(store: Store, call: Call, endpoint_id: str):
    endpoint = store.require(endpoint_id, "webhook_endpoint")
    del store.objects[endpoint["id"]]
    return {"id": endpoint["id"], "object": "webhook_endpoint", "deleted": True}
