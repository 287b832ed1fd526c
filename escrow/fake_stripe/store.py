"""The fake's state: objects by id, their private (never rendered) state, events, idempotency records and
account links, behind one lock. Every handler runs with ``store.lock`` held, so a request's reads and
writes are atomic with respect to every other request."""

import copy
import itertools
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from escrow.fake_stripe.errors import invalid, no_such

DEFAULT_API_VERSION = "2026-10-28.endive"
_ALPHABET = string.ascii_letters + string.digits


def random_token(length: int = 24) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def now() -> int:
    return int(time.time())


@dataclass
class Call:
    """What a handler knows about the request it serves."""

    method: str
    path: str
    params: dict[str, Any]
    key_kind: str | None = None  # "secret", "publishable" or None (fake-only endpoints)
    request_id: str | None = None
    idempotency_key: str | None = None
    api_version: str = DEFAULT_API_VERSION
    base_url: str = ""
    via_api: bool = True
    app: Any = None
    # An injected fault's 500: "before" executing (``error``) or "after" (``error_after``).
    failing: str = ""


@dataclass
class IdempotentResult:
    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: bytes
    request_id: str


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        # Set by the server: sets the event's ``pending_webhooks`` and queues its deliveries.
        self.on_event: Callable[[dict[str, Any]], None] = lambda event: None
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.objects: dict[str, dict[str, Any]] = {}
            self.private: dict[str, dict[str, Any]] = {}
            self.order: dict[str, int] = {}
            self.counter = itertools.count()
            self.events: list[str] = []
            self.idempotency: dict[tuple[str, str], IdempotentResult] = {}
            self.links: dict[str, dict[str, Any]] = {}

    # --- objects ---------------------------------------------------------------------------------

    @staticmethod
    def new_id(prefix: str) -> str:
        return f"{prefix}_{random_token()}"

    def add(self, obj: dict[str, Any], **private: Any) -> dict[str, Any]:
        self.objects[obj["id"]] = obj
        self.private[obj["id"]] = private
        self.order[obj["id"]] = next(self.counter)
        return obj

    def get(self, object_id: Any, object_type: str) -> dict[str, Any] | None:
        obj = self.objects.get(object_id) if isinstance(object_id, str) else None
        return obj if obj is not None and obj["object"] == object_type else None

    def require(
        self, object_id: Any, object_type: str, *, label: str | None = None, param: str | None = None
    ):
        obj = self.get(object_id, object_type)
        if obj is None:
            raise no_such(label or object_type.replace("_", " "), str(object_id), param=param)
        return obj

    def all(self, object_type: str, **filters: Any) -> list[dict[str, Any]]:
        """Objects of a type, newest first, whose fields equal the non-None ``filters``."""
        found = [
            obj
            for obj in self.objects.values()
            if obj["object"] == object_type
            and all(obj.get(key) == value for key, value in filters.items() if value is not None)
        ]
        return sorted(found, key=lambda obj: self.order[obj["id"]], reverse=True)

    def hidden(self, object_id: str) -> dict[str, Any]:
        return self.private[object_id]

    # --- events ----------------------------------------------------------------------------------

    def emit(self, event_type: str, obj: dict[str, Any], call: Call | None, previous: dict | None = None):
        """Record an event with a snapshot of ``obj`` and hand it to the webhook deliverer."""
        data: dict[str, Any] = {"object": copy.deepcopy(obj)}
        if previous:
            data["previous_attributes"] = copy.deepcopy(previous)
        from_api = call is not None and call.via_api
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": call.api_version if call else DEFAULT_API_VERSION,
            "created": now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 0,
            "request": {
                "id": call.request_id if from_api else None,
                "idempotency_key": call.idempotency_key if from_api else None,
            },
            "type": event_type,
        }
        self.add(event)
        self.events.append(event["id"])
        self.on_event(event)
        return event


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``previous_attributes`` of an update: the top-level fields that changed, with their old values."""
    return {key: before.get(key) for key in after if before.get(key) != after.get(key)}


def render(store: Store, obj: dict[str, Any], expand: list[str] | None = None) -> dict[str, Any]:
    """A copy of ``obj`` with the ``expand`` paths (``latest_charge``, ``data.customer``, ...) expanded."""
    result = copy.deepcopy(obj)
    for path in expand or []:
        _expand(store, result, path.split("."), path)
    return result


def _expand(store: Store, node: Any, parts: list[str], path: str) -> None:
    if isinstance(node, list):
        for item in node:
            _expand(store, item, parts, path)
        return
    if not isinstance(node, dict) or not parts:
        return
    head, rest = parts[0], parts[1:]
    if head not in node:
        raise invalid(f"This property cannot be expanded ({head}).", param="expand")
    value = node[head]
    if isinstance(value, str) and value in store.objects:
        value = node[head] = copy.deepcopy(store.objects[value])
    if rest:
        _expand(store, value, rest, path)


CREATED_BOUNDS = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}


def _created_filter(value: Any) -> list[tuple[Any, int]]:
    """Stripe's ``created`` list filter: a timestamp (exactly then), or a hash of ``gt``, ``gte``, ``lt``
    and ``lte`` bounds."""
    bounds = value if isinstance(value, dict) else {"eq": value}
    tests = []
    for name, raw in bounds.items():
        if name not in (*CREATED_BOUNDS, "eq"):
            raise invalid(f"Received unknown parameter: created[{name}]", param=f"created[{name}]")
        if not (isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit())):
            raise invalid(f"Invalid integer: {raw}", param="created" if name == "eq" else f"created[{name}]")
        tests.append((CREATED_BOUNDS.get(name, int.__eq__), int(raw)))
    return tests


def page(store: Store, items: list[dict[str, Any]], call: Call, url: str) -> dict[str, Any]:
    """A list object of ``items`` (newest first) with Stripe's ``limit`` / ``starting_after`` /
    ``ending_before`` cursors, and its ``created`` filter (a timestamp, or ``created[gte]`` and the
    other bounds) applied first, as every Stripe list that has it does."""
    params = call.params
    if params.get("created") not in (None, ""):
        tests = _created_filter(params["created"])
        items = [item for item in items if all(test(item["created"], bound) for test, bound in tests)]
    limit_text = params.get("limit") or "10"
    if not str(limit_text).isdigit() or not 1 <= int(limit_text) <= 100:
        raise invalid("Invalid limit: must be between 1 and 100", param="limit")
    limit = int(limit_text)
    ids = [item["id"] for item in items]
    if params.get("starting_after"):
        cursor = params["starting_after"]
        start = ids.index(cursor) + 1 if cursor in ids else len(ids)
        chosen = items[start : start + limit]
        has_more = start + limit < len(items)
    elif params.get("ending_before"):
        cursor = params["ending_before"]
        end = ids.index(cursor) if cursor in ids else 0
        chosen = items[max(0, end - limit) : end]
        has_more = end - limit > 0
    else:
        chosen = items[:limit]
        has_more = len(items) > limit
    expand = [path.removeprefix("data.") for path in _expand_paths(params) if path.startswith("data.")]
    data = [render(store, item, expand) for item in chosen]
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def _expand_paths(params: dict[str, Any]) -> list[str]:
    value = params.get("expand") or []
    return [value] if isinstance(value, str) else [item for item in value if isinstance(item, str)]


def expand_paths(call: Call) -> list[str]:
    return _expand_paths(call.params)
