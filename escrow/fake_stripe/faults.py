"""Injected faults: the next ``count`` calls matching a method and a path misbehave.

- ``error``: answer 500 ``api_error`` without executing — as Stripe, the 500 is kept under the
  request's idempotency key, so the same key answers it again (a new key is a new request);
- ``error_after``: execute, then answer that 500 (kept under the key) instead of the result — Stripe
  failed after making the object;
- ``timeout``: wait ``delay`` seconds, then answer 500 without executing (nothing kept);
- ``timeout_after``: execute (and record the idempotent result), then wait ``delay`` seconds before
  answering — a client with a shorter timeout gives up although the object exists;
- ``disconnect``: close the connection without answering and without executing;
- ``slow``: wait ``delay`` seconds, then execute and answer — meanwhile the request is in progress,
  and another with its idempotency key is answered 409 ``idempotency_key_in_use``.

A path is matched exactly, or as a pattern where ``*`` stands for any characters
(``/v1/payment_intents/*/confirm``, ``/v1/transfers*``). The method ``*`` matches any method.
"""

import re
import threading
from dataclasses import dataclass
from typing import Any

from escrow.fake_stripe import forms
from escrow.fake_stripe.errors import invalid

MODES = ("error", "error_after", "timeout", "timeout_after", "disconnect", "slow")


@dataclass
class Fault:
    method: str
    path: str
    mode: str
    count: int
    delay: float

    def matches(self, method: str, path: str) -> bool:
        if self.method not in ("*", method):
            return False
        if "*" not in self.path:
            return self.path == path
        pattern = ".*".join(re.escape(part) for part in self.path.split("*"))
        return re.fullmatch(pattern, path) is not None

    def describe(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "mode": self.mode,
            "count": self.count,
            "delay": self.delay,
        }


class Faults:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults: list[Fault] = []

    def add(self, params: dict[str, Any]) -> Fault:
        path = forms.text(params, "path", required=True)
        if not path.startswith("/"):
            raise invalid("A fault's path must start with /", param="path")
        mode = forms.choice(params, "mode", MODES)
        if mode is None:
            raise forms.missing("mode")
        count = forms.integer(params, "count", minimum=1) or 1
        try:
            delay = float(params.get("delay", 5) or 0)
        except (TypeError, ValueError) as exc:
            raise invalid("Invalid delay: must be a number of seconds", param="delay") from exc
        method = (forms.text(params, "method") or "*").upper()
        fault = Fault(method, path, mode, count, delay)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this call, counting it used."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def describe(self) -> list[dict[str, Any]]:
        with self.lock:
            return [fault.describe() for fault in self.faults]
