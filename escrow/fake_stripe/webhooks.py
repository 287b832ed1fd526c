"""Signed webhook delivery from a background thread, with retries and a delivery log.

Each event is POSTed as JSON to every enabled endpoint whose ``enabled_events`` match it, with Stripe's
signature header ``Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the
endpoint's secret>``. A delivery that does not answer 2xx is retried after 0.25 s, 0.5 s and 1 s (Stripe
retries for days; a fake need not), then given up and logged as failed.
"""

import hashlib
import hmac
import http.client
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

BACKOFF = (0.25, 0.5, 1.0)
LOG_SIZE = 2000


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header of ``payload`` for an endpoint ``secret``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def matches(enabled_events: list[str], event_type: str) -> bool:
    for pattern in enabled_events:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


@dataclass
class Target:
    endpoint: str
    url: str
    secret: str


@dataclass
class Job:
    event: str
    event_type: str
    target: Target
    payload: str
    attempt: int = 1
    due: float = 0.0
    generation: int = 0


class Deliverer:
    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self.cond = threading.Condition()
        self.jobs: list[Job] = []
        self.in_flight = 0
        self.paused = False
        self.log: list[dict[str, Any]] = []
        self.delivered = 0
        self.failed = 0
        self.reported = (0, 0)  # delivered, failed as of the last flush
        self.generation = 0
        self.cli: Target | None = None
        self.thread = threading.Thread(target=self._run, name="fake-stripe-webhooks", daemon=True)
        self.thread.start()

    def enqueue(self, event_id: str, event_type: str, payload: str, targets: list[Target]) -> None:
        with self.cond:
            for target in targets:
                job = Job(
                    event_id, event_type, target, payload, due=time.monotonic(), generation=self.generation
                )
                self.jobs.append(job)
            self.cond.notify_all()

    def pause(self) -> None:
        with self.cond:
            self.paused = True

    def resume(self) -> None:
        with self.cond:
            self.paused = False
            self.cond.notify_all()

    def clear(self) -> None:
        """Forget queued deliveries and the log (a reset); a delivery under way finishes unrecorded."""
        with self.cond:
            self.jobs.clear()
            self.log.clear()
            self.paused = False
            self.generation += 1
            self.reported = (self.delivered, self.failed)
            self.cond.notify_all()

    def flush(self, timeout: float) -> dict[str, Any]:
        """Wait until nothing is queued or being delivered (or ``timeout`` passes); how many deliveries
        succeeded and failed for good since the previous flush (or reset)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while (self.jobs or self.in_flight) and not self.paused:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.cond.wait(remaining)
            pending = len(self.jobs) + self.in_flight
            delivered, failed = self.reported
            self.reported = (self.delivered, self.failed)
            return {
                "delivered": self.delivered - delivered,
                "failed": self.failed - failed,
                "pending": pending,
                "paused": self.paused,
                "timed_out": bool(pending) and not self.paused,
            }

    def _next_job(self) -> Job:
        with self.cond:
            while True:
                if not self.paused and self.jobs:
                    job = min(self.jobs, key=lambda item: item.due)
                    wait = job.due - time.monotonic()
                    if wait <= 0:
                        self.jobs.remove(job)
                        self.in_flight += 1
                        return job
                    self.cond.wait(wait)
                else:
                    self.cond.wait()

    def _run(self) -> None:
        while True:
            job = self._next_job()
            status, error = self._post(job)
            ok = status is not None and 200 <= status < 300
            with self.cond:
                self.in_flight -= 1
                if job.generation == self.generation:
                    self._record(job, status, error, ok)
                self.cond.notify_all()

    def _record(self, job: Job, status: int | None, error: str | None, ok: bool) -> None:
        self.log.append(
            {
                "event": job.event,
                "type": job.event_type,
                "endpoint": job.target.endpoint,
                "url": job.target.url,
                "attempt": job.attempt,
                "status": status,
                "error": error,
                "delivered": ok,
                "at": time.time(),
            }
        )
        del self.log[:-LOG_SIZE]
        if ok:
            self.delivered += 1
        elif job.attempt <= len(BACKOFF):
            job.due = time.monotonic() + BACKOFF[job.attempt - 1]
            job.attempt += 1
            self.jobs.append(job)
        else:
            self.failed += 1

    def _post(self, job: Job) -> tuple[int | None, str | None]:
        parts = urlsplit(job.target.url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": sign(job.payload, job.target.secret),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Accept": "*/*; q=0.5, application/xml",
            "Cache-Control": "no-cache",
        }
        try:
            connection = connection_class(parts.hostname or "", parts.port, timeout=self.timeout)
            try:
                connection.request("POST", path, body=job.payload.encode(), headers=headers)
                response = connection.getresponse()
                response.read(4096)
                return response.status, None if response.status < 300 else f"HTTP {response.status}"
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            return None, f"{type(exc).__name__}: {exc}"
