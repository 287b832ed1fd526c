"""The fake's state kept in a JSON file, so a local demo's money survives a restart (``make run``
seeds in one process and serves in the next). Written whole after every request that may change it
(atomically: a temporary file, then a rename); read once at start. A file that does not read is set
aside (``.bad``) and the fake starts empty, saying so in its log."""

import itertools
import json
import logging
import os
from pathlib import Path
from typing import Any

from escrow.fake_stripe.cards import card_for
from escrow.fake_stripe.store import IdempotentResult, Store

log = logging.getLogger("escrow.fake_stripe")
VERSION = 1


def _private(values: dict[str, Any]) -> dict[str, Any]:
    # A card PaymentMethod's test card is kept by its number (the rest follows from it).
    return {key: value.number if key == "card" else value for key, value in values.items()}


def snapshot(store: Store) -> dict[str, Any]:
    with store.lock:
        return {
            "version": VERSION,
            "objects": store.objects,
            "private": {object_id: _private(values) for object_id, values in store.private.items()},
            "order": store.order,
            "events": store.events,
            "links": store.links,
            "idempotency": [
                [key, idempotency_key, vars(result) | {"body": result.body.decode()}]
                for (key, idempotency_key), result in store.idempotency.items()
            ],
        }


def restore(store: Store, data: dict[str, Any]) -> None:
    if data.get("version") != VERSION:
        raise ValueError(f"unknown version {data.get('version')!r}")
    with store.lock:
        store.reset()
        store.objects = data["objects"]
        store.private = {
            object_id: {key: card_for(value) if key == "card" else value for key, value in values.items()}
            for object_id, values in data["private"].items()
        }
        store.order = data["order"]
        store.counter = itertools.count(max(store.order.values(), default=-1) + 1)
        store.events = data["events"]
        store.links = data["links"]
        store.idempotency = {
            (key, idempotency_key): IdempotentResult(**(result | {"body": result["body"].encode()}))
            for key, idempotency_key, result in data["idempotency"]
        }


def save(store: Store, path: Path) -> None:
    text = json.dumps(snapshot(store), ensure_ascii=False)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def load(store: Store, path: Path) -> None:
    if not path.exists():
        return
    try:
        restore(store, json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        os.replace(path, path.with_name(path.name + ".bad"))
        store.reset()
        log.warning("fake stripe: %s did not read (%s); set aside as .bad, starting empty", path, exc)
        return
    log.info("fake stripe: %d objects read from %s", len(store.objects), path)
