"""Fake-only control endpoints (no API key needed): health, reset, fault injection, webhook delivery
control, objects that differ from what the API made (for reconciliation tests), and the stand-in
Stripe.js."""

from pathlib import Path

from escrow.fake_stripe.errors import invalid, no_such
from escrow.fake_stripe.routes import Raw, route
from escrow.fake_stripe.store import Call, Store

STRIPE_JS = Path(__file__).with_name("static") / "stripe.js"


@route("GET", "/_fake/health", auth="none", locked=False)
def health(store: Store, call: Call):
    return {"ok": True}


@route("DELETE", "/_fake/data", auth="none")
def reset(store: Store, call: Call):
    """Forget every object, event, idempotency record, fault, queued delivery and API-registered webhook
    endpoint; the endpoint given on the command line stays."""
    store.reset()
    call.app.faults.clear()
    call.app.deliverer.clear()
    return {"ok": True}


@route("POST", "/_fake/faults", auth="none", locked=False)
def add_fault(store: Store, call: Call):
    return call.app.faults.add(call.params).describe()


@route("GET", "/_fake/faults", auth="none", locked=False)
def list_faults(store: Store, call: Call):
    return {"object": "list", "data": call.app.faults.describe()}


@route("DELETE", "/_fake/faults", auth="none", locked=False)
def clear_faults(store: Store, call: Call):
    call.app.faults.clear()
    return {"ok": True}


@route("POST", "/_fake/webhooks/flush", auth="none", locked=False)
def flush_webhooks(store: Store, call: Call):
    """Block until every queued delivery (retries included) is done, or ``timeout`` seconds (10) pass."""
    try:
        timeout = min(float(call.params.get("timeout") or 10), 120.0)
    except ValueError:
        timeout = 10.0
    return call.app.deliverer.flush(timeout)


@route("POST", "/_fake/webhooks/pause", auth="none", locked=False)
def pause_webhooks(store: Store, call: Call):
    call.app.deliverer.pause()
    return {"paused": True}


@route("POST", "/_fake/webhooks/resume", auth="none", locked=False)
def resume_webhooks(store: Store, call: Call):
    call.app.deliverer.resume()
    return {"paused": False}


@route("GET", "/_fake/webhooks/deliveries", auth="none", locked=False)
def deliveries(store: Store, call: Call):
    deliverer = call.app.deliverer
    with deliverer.cond:
        return {
            "object": "list",
            "data": list(deliverer.log),
            "pending": len(deliverer.jobs) + deliverer.in_flight,
        }


@route("POST", "/_fake/objects/{object_id}", auth="none")
def tamper_object(store: Store, call: Call, object_id: str):
    """Overwrite top-level fields of a stored object (a JSON body: ``{"amount": 900}``), with no event:
    Stripe's record of it now differs from what the API answered when it was made, as after a change
    made in the Dashboard or a bug of ours. The object afterwards."""
    obj = store.objects.get(object_id)
    if obj is None:
        raise no_such("object", object_id)
    unknown = sorted(set(call.params) - set(obj) | set(call.params) & {"id", "object"})
    if unknown:
        raise invalid(f"These fields cannot be set: {', '.join(unknown)}")
    obj.update(call.params)
    return obj


@route("DELETE", "/_fake/objects/{object_id}", auth="none")
def forget_object(store: Store, call: Call, object_id: str):
    """Forget an object, as if Stripe had never made it (the API then answers 404 for it)."""
    if store.objects.pop(object_id, None) is None:
        raise no_such("object", object_id)
    store.private.pop(object_id, None)
    store.order.pop(object_id, None)
    return {"id": object_id, "deleted": True}


def _stripe_js(store: Store, call: Call):
    return Raw(
        200, STRIPE_JS.read_bytes(), "application/javascript; charset=utf-8", {"Cache-Control": "no-cache"}
    )


route("GET", "/js.stripe.com/v3/", auth="none", locked=False)(_stripe_js)
route("GET", "/js.stripe.com/v3", auth="none", locked=False)(_stripe_js)
