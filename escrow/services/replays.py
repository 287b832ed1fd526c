"""A call the processor answered with a 500: it keeps that answer under the request's key and
replays it for a day, so repeating the key is no use. The object may exist anyway (the error came
after it was made): look it up by the key the gateway put in its metadata; if there is none, the
intent row takes a new key, and its next attempt (the retry task, or the person trying again) is a
new request. A processor that did not answer at all (a timeout, a dropped connection, the key in use
by a request still running) is repeated with the same key, as before."""

from collections.abc import Callable
from typing import TypeVar

from django.db import models

from .. import gateway, idempotency

T = TypeVar("T")


def made_once(row: models.Model, *, create: Callable[[str], T], find: Callable[[str], T | None]) -> T:
    """``create(key)`` under the row's key; after a 500, ``find(key)``, or the row gets a new key
    (only if no one changed it meanwhile) and the 500 goes up as the ``ProcessorUnavailable`` it is."""
    key = row.idempotency_key
    try:
        return create(key)
    except gateway.ProcessorFailed:
        found = find(key)
        if found is not None:
            return found
        fresh = idempotency.rotated(key)
        if type(row).objects.filter(pk=row.pk, idempotency_key=key).update(idempotency_key=fresh):
            row.idempotency_key = fresh
        raise
