"""Run the fake Stripe server (``python -m escrow.fake_stripe``) from tests and drive its fake-only
endpoints.

    with start_fake_stripe(log_path) as fake:
        client = fake.stripe_client()          # the official library, pointed at the fake
        fake.inject_fault("POST", "/v1/transfers", "timeout_after", delay=2)
        fake.flush_webhooks()
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import VENV_BIN, free_port, project_env, running, wait_for_http

SECRET_KEY = "sk_test_fake"
PUBLISHABLE_KEY = "pk_test_fake"


def sign_payload(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Stripe's ``Stripe-Signature`` header for ``payload`` (``t=<time>,v1=<HMAC-SHA256 hex>``)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def form_encode(params: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's form encoding: nested dicts as ``a[b]``, lists as ``a[0]``, booleans as ``true``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, dict):
            pairs += form_encode(value, name)
        elif isinstance(value, (list, tuple)):
            pairs += form_encode(dict(enumerate(value)), name)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        else:
            pairs.append((name, str(value)))
    return pairs


class FakeStripe:
    """A running fake Stripe server: its address, keys, and its fake-only controls."""

    def __init__(self, url: str, *, secret_key: str = SECRET_KEY, publishable_key: str = PUBLISHABLE_KEY):
        self.url = url.rstrip("/")
        self.secret_key = secret_key
        self.publishable_key = publishable_key
        self.http = httpx.Client(base_url=self.url, timeout=30)

    @property
    def base_addresses(self) -> dict[str, str]:
        """``base_addresses`` for ``stripe.StripeClient``."""
        return {"api": self.url, "connect": self.url, "files": self.url}

    @property
    def js_url(self) -> str:
        return f"{self.url}/js.stripe.com/v3/"

    def stripe_client(self, **options: Any):
        """A ``stripe.StripeClient`` on the fake (no retries unless ``max_network_retries`` is given)."""
        import stripe

        options.setdefault("max_network_retries", 0)
        return stripe.StripeClient(self.secret_key, base_addresses=self.base_addresses, **options)

    def close(self) -> None:
        self.http.close()

    # --- plain API calls -------------------------------------------------------------------------

    def _headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.secret_key}"}

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        if not response.is_success:
            raise AssertionError(
                f"fake stripe: {response.request.method} {response.request.url} answered "
                f"{response.status_code}: {response.text}"
            )
        return response.json()

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        """GET an API path, e.g. ``get("/v1/transfers/tr_...")``, with the secret key."""
        response = self.http.get(path, params=form_encode(params), headers=self._headers())
        return self._json(response)

    def post(self, path: str, **params: Any) -> dict[str, Any]:
        response = self.http.post(path, data=dict(form_encode(params)), headers=self._headers())
        return self._json(response)

    def list(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every object of a list endpoint (all pages), newest first."""
        items: list[dict[str, Any]] = []
        params = {"limit": 100, **params}
        while True:
            page = self.get(path, **params)
            items += page["data"]
            if not page["has_more"] or not page["data"]:
                return items
            params["starting_after"] = page["data"][-1]["id"]

    def events(self, type: str | None = None) -> list[dict[str, Any]]:
        """Every event (newest first), or those of one ``type`` (``payment_intent.*`` works too)."""
        return self.list("/v1/events", **({"type": type} if type else {}))

    # --- fake-only controls ----------------------------------------------------------------------

    def reset(self) -> None:
        """Forget all objects, events, idempotency keys, faults and API-registered webhook endpoints."""
        self._json(self.http.delete("/_fake/data"))

    def inject_fault(self, method: str, path: str, mode: str, count: int = 1, delay: float = 5.0) -> None:
        """Make the next ``count`` calls of ``method`` ``path`` (``*`` wildcards) fail: ``error`` (a 500,
        kept under the request's idempotency key), ``error_after`` (executes, then that 500),
        ``timeout``, ``timeout_after`` (executes, then answers late), ``disconnect`` or ``slow``
        (executes after ``delay``: its key is in use meanwhile)."""
        fault = {"method": method, "path": path, "mode": mode, "count": count, "delay": delay}
        self._json(self.http.post("/_fake/faults", json=fault))

    def clear_faults(self) -> None:
        self._json(self.http.delete("/_fake/faults"))

    def flush_webhooks(self, timeout: float = 10) -> int:
        """Wait until every queued webhook delivery is done; the number delivered since the previous flush."""
        result = self._json(
            self.http.post("/_fake/webhooks/flush", params={"timeout": timeout}, timeout=timeout + 10)
        )
        if result["timed_out"]:
            raise AssertionError(f"webhook deliveries still pending after {timeout}s: {result}")
        return result["delivered"]

    def pause_webhooks(self) -> None:
        self._json(self.http.post("/_fake/webhooks/pause"))

    def resume_webhooks(self) -> None:
        self._json(self.http.post("/_fake/webhooks/resume"))

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """The delivery log: one entry per attempt (event, endpoint, url, attempt, status, delivered)."""
        return self._json(self.http.get("/_fake/webhooks/deliveries"))["data"]

    def register_webhook(self, url: str, events: tuple[str, ...] = ("*",)) -> str:
        """Register a webhook endpoint through the API; its signing secret."""
        return self.post("/v1/webhook_endpoints", url=url, enabled_events=list(events))["secret"]

    def deliver(self, event: dict[str, Any], url: str, secret: str, *, timestamp: int | None = None):
        """POST one event to ``url``, signed with ``secret`` as Stripe signs it (for replays and
        out-of-order delivery); the ``httpx.Response``."""
        payload = json.dumps(event, indent=2)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": sign_payload(payload, secret, timestamp),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        return httpx.post(url, content=payload.encode(), headers=headers, timeout=30)

    def complete_onboarding(self, account_id: str) -> dict[str, Any]:
        """Onboard a connected account as its owner would: create an account link and open it (without a
        browser). The account afterwards."""
        return_url = "http://onboarding.invalid/return"
        link = self.post(
            "/v1/account_links",
            account=account_id,
            refresh_url="http://onboarding.invalid/refresh",
            return_url=return_url,
            type="account_onboarding",
        )
        response = self.http.get(link["url"], follow_redirects=False)
        if response.status_code != 302 or response.headers["location"] != return_url:
            raise AssertionError(f"onboarding link answered {response.status_code}: {response.headers}")
        return self.get(f"/v1/accounts/{account_id}")

    def authenticate(self, payment_intent_id: str, outcome: str = "succeed") -> dict[str, Any]:
        """Complete (``succeed``) or fail the 3-D Secure step of a ``requires_action`` PaymentIntent, as the
        customer would in the Stripe.js dialog. The PaymentIntent afterwards."""
        response = self.http.post(
            f"/_fake/payment_intents/{payment_intent_id}/authenticate", data={"outcome": outcome}
        )
        return self._json(response)

    def tamper(self, object_id: str, **fields: Any) -> dict[str, Any]:
        """Overwrite top-level fields of a stored object with no event (Stripe's record now differs
        from what its API answered). The object afterwards."""
        return self._json(self.http.post(f"/_fake/objects/{object_id}", json=fields))

    def forget(self, object_id: str) -> None:
        """Forget an object, as if Stripe had never made it."""
        self._json(self.http.delete(f"/_fake/objects/{object_id}"))

    def disable_payouts(self, account_id: str) -> dict[str, Any]:
        """Turn a connected account's payouts off (``account.updated``), as Stripe does when it needs more
        information."""
        return self._json(self.http.post(f"/_fake/accounts/{account_id}/disable_payouts"))

    def open_dispute(self, charge_id: str, **params: Any) -> dict[str, Any]:
        """The cardholder's bank disputes a charge (``amount``, ``reason``, ``status`` optional)."""
        return self._json(self.http.post("/_fake/disputes", data={"charge": charge_id, **params}))

    def update_dispute(self, dispute_id: str, status: str) -> dict[str, Any]:
        return self._json(self.http.post(f"/_fake/disputes/{dispute_id}", data={"status": status}))

    def close_dispute(self, dispute_id: str, outcome: str) -> dict[str, Any]:
        """The bank decides: ``won`` (the money and the fee come back) or ``lost``."""
        return self._json(self.http.post(f"/_fake/disputes/{dispute_id}/close", data={"outcome": outcome}))

    def change_external_account(self, account_id: str, last4: str = "1116") -> dict[str, Any]:
        """The account holder replaces the bank account payouts go to (``account.updated``)."""
        response = self.http.post(f"/_fake/accounts/{account_id}/external_account", data={"last4": last4})
        return self._json(response)

    def fail_refund(self, refund_id: str, reason: str = "expired_or_canceled_card") -> dict[str, Any]:
        """A succeeded refund fails later (the card was closed): the money is back on the platform."""
        response = self.http.post(f"/_fake/refunds/{refund_id}/fail", data={"failure_reason": reason})
        return self._json(response)


@contextmanager
def start_fake_stripe(
    log_path: Path, *, webhook_url: str | None = None, webhook_secret: str | None = None
) -> Iterator[FakeStripe]:
    """Start ``python -m escrow.fake_stripe`` on a free port in its own process group, wait until it
    answers, and stop it on exit. ``webhook_url`` pre-registers an endpoint, like ``make run`` does."""
    port = free_port()
    args = [str(VENV_BIN / "python"), "-m", "escrow.fake_stripe", "--host", "127.0.0.1", "--port", str(port)]
    if webhook_url:
        args += ["--webhook-url", webhook_url, "--webhook-secret", webhook_secret or "whsec_fake"]
    with running(args, env=project_env(PYTHONUNBUFFERED="1"), log=log_path) as proc:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{url}/_fake/health", proc=proc, log=log_path, timeout=30)
        fake = FakeStripe(url)
        try:
            yield fake
        finally:
            fake.close()
