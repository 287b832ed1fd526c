"""The HTTP side: authentication, CORS, injected faults, Idempotency-Key replay, and dispatch to the
resource handlers on a ``ThreadingHTTPServer``."""

import base64
import contextlib
import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Importing the resource modules registers their routes.
from escrow.fake_stripe import (  # noqa: F401
    charges,
    connect,
    control,
    customers,
    disputes,
    events,
    pages,
    payment_intents,
    payout_controls,
    persist,
    refunds,
    transfers,
)
from escrow.fake_stripe.errors import (
    StripeError,
    api_error,
    authentication,
    idempotency,
    idempotency_key_in_use,
    invalid,
)
from escrow.fake_stripe.faults import Faults
from escrow.fake_stripe.forms import parse_form, parse_json
from escrow.fake_stripe.routes import Raw, Route, match
from escrow.fake_stripe.store import DEFAULT_API_VERSION, Call, IdempotentResult, Store, random_token
from escrow.fake_stripe.webhooks import Deliverer, Target, matches

log = logging.getLogger("escrow.fake_stripe")

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Stripe-Version, Stripe-Account"
EXPOSED_HEADERS = "Request-Id, Idempotency-Key, Idempotent-Replayed, Original-Request, Stripe-Version"
CONTROL_PATHS = ("/_fake/faults", "/_fake/data", "/_fake/health", "/_fake/webhooks/", "/_fake/objects/")
NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization header, using "
    "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."
)
PUBLISHABLE_REFUSED = (
    "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a "
    "list of your API keys at https://dashboard.stripe.com/account/apikeys."
)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    disconnect: bool = False


def dump(obj: Any) -> bytes:
    return json.dumps(obj, indent=2, ensure_ascii=False).encode()


def _mask(key: str) -> str:
    prefix, _, rest = key.rpartition("_")
    return (
        f"{prefix}_{'*' * max(len(rest) - 4, 0)}{rest[-4:]}"
        if prefix
        else "*" * max(len(key) - 4, 0) + key[-4:]
    )


class App:
    def __init__(
        self,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        state_path: Path | None = None,
    ) -> None:
        self.store = Store()
        # Kept in this JSON file when given (read now, written after each request that may change it).
        self.state_path = state_path
        if state_path:
            persist.load(self.store, state_path)
        self.faults = Faults()
        # (Authorization header, Idempotency-Key) of the requests being served: another request with
        # the same pair meanwhile is Stripe's 409 ``idempotency_key_in_use``.
        self.in_flight: set[tuple[str, str]] = set()
        self.in_flight_lock = threading.Lock()
        self.deliverer = Deliverer()
        if webhook_url:
            self.deliverer.cli = Target("we_cli", webhook_url, webhook_secret or "")
        self.store.on_event = self.dispatch_event

    def dispatch_event(self, event: dict[str, Any]) -> None:
        targets = events.endpoint_targets(self.store, event["type"])
        cli = self.deliverer.cli
        if cli and matches(["*"], event["type"]):
            targets.append(cli)
        event["pending_webhooks"] = len(targets)
        if targets:
            self.deliverer.enqueue(event["id"], event["type"], dump(event).decode(), targets)

    # --- one request ---------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> Response:
        url = urlsplit(target)
        path = url.path
        cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": EXPOSED_HEADERS}
        if method == "OPTIONS":
            return Response(
                204,
                b"",
                cors
                | {
                    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
                    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                    "Access-Control-Max-Age": "600",
                },
            )
        request_id = "req_" + random_token(14)
        base = {"Request-Id": request_id, "Cache-Control": "no-cache, no-store"} | cors
        fault = None if path.startswith(CONTROL_PATHS) else self.faults.take(method, path)
        if fault and fault.mode == "disconnect":
            return Response(disconnect=True)
        if fault and fault.mode == "timeout":
            time.sleep(fault.delay)
            error = api_error("An unexpected error occurred (injected by the fake Stripe server).")
            return Response(500, dump(error.body()), base | {"Content-Type": "application/json"})
        try:
            response = self._serving(method, path, url.query, headers, body, request_id, fault)
        except StripeError as exc:
            response = Response(exc.status, dump(exc.body()), {"Content-Type": "application/json"})
        response.headers = base | response.headers
        if fault and fault.mode == "timeout_after":
            time.sleep(fault.delay)
        return response

    def _serving(self, method, path, query, headers, body, request_id, fault) -> Response:
        """The request while it executes: another one with its idempotency key meanwhile is Stripe's
        409 ``idempotency_key_in_use`` (a ``slow`` fault stretches this time)."""
        key = headers.get("Idempotency-Key") if method == "POST" and path.startswith("/v1/") else None
        busy = (headers.get("Authorization") or "", key) if key else None
        if busy:
            with self.in_flight_lock:
                if busy in self.in_flight:
                    raise idempotency_key_in_use()
                self.in_flight.add(busy)
        try:
            if fault and fault.mode == "slow":
                time.sleep(fault.delay)
            failing = {"error": "before", "error_after": "after"}.get(fault.mode, "") if fault else ""
            return self._dispatch(method, path, query, headers, body, request_id, failing=failing)
        finally:
            if busy:
                with self.in_flight_lock:
                    self.in_flight.discard(busy)

    def _dispatch(
        self, method: str, path: str, query: str, headers: Any, body: bytes, request_id: str, *, failing=""
    ):
        params = parse_form(query)
        if body:
            text = body.decode("utf-8", errors="replace")
            is_json = (headers.get("Content-Type") or "").startswith("application/json")
            params |= parse_json(text) if is_json else parse_form(text)
        found, path_params, _ = match(method, path)
        if found is None:
            raise StripeError(
                404,
                {
                    "type": "invalid_request_error",
                    "message": f"Unrecognized request URL ({method}: {path}). Please see "
                    "https://stripe.com/docs or we can help at https://support.stripe.com/.",
                },
            )
        key, key_kind = self._authenticate(found, headers, params)
        version = headers.get("Stripe-Version") or DEFAULT_API_VERSION
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?", version):
            raise invalid(f"Invalid Stripe API version: {version}", param="Stripe-Version")
        idempotency_key = headers.get("Idempotency-Key") if method == "POST" else None
        call = Call(
            method,
            path,
            params,
            key_kind,
            request_id,
            idempotency_key,
            version,
            f"http://{headers.get('Host') or 'localhost'}",
            path.startswith("/v1/"),
            self,
            failing,
        )
        if not found.locked:
            response = self._execute(found, call, path_params)
        else:
            with self.store.lock:
                if idempotency_key and call.via_api:
                    response = self._idempotent(found, call, path_params, key or "")
                else:
                    response = self._execute(found, call, path_params)
                # Fake pages (onboarding) change state on GET as well.
                if self.state_path and (method != "GET" or path.startswith("/_fake/")):
                    persist.save(self.store, self.state_path)
        if call.via_api:
            response.headers |= {"Stripe-Version": version}
            if idempotency_key:
                response.headers |= {"Idempotency-Key": idempotency_key}
        return response

    def _authenticate(self, found: Route, headers: Any, params: dict) -> tuple[str | None, str | None]:
        if found.auth == "none":
            return None, None
        header = headers.get("Authorization") or ""
        if header.startswith("Bearer "):
            key = header[len("Bearer ") :].strip()
        elif header.startswith("Basic "):
            try:
                key = base64.b64decode(header[len("Basic ") :]).decode().partition(":")[0]
            except ValueError:
                key = ""
        else:
            key = params.get("key") if isinstance(params.get("key"), str) else ""
        params.pop("key", None)
        if not key:
            raise authentication(NO_KEY)
        if key.startswith(("sk_test_", "rk_test_")) and len(key) > len("sk_test_"):
            return key, "secret"
        if key.startswith("pk_test_") and len(key) > len("pk_test_"):
            if found.auth == "publishable":
                return key, "publishable"
            raise authentication(PUBLISHABLE_REFUSED)
        raise authentication(f"Invalid API Key provided: {_mask(key)}")

    def _idempotent(self, found: Route, call: Call, path_params: dict, key: str) -> Response:
        scope = (key, call.idempotency_key or "")
        record = self.store.idempotency.get(scope)
        if record is not None:
            if (record.method, record.path) != (call.method, call.path):
                raise idempotency(
                    "Keys for idempotent requests can only be used for the same endpoint they were first "
                    f"used for. You tried to use a key for {call.method} {call.path}, but it was first used "
                    f"for {record.method} {record.path}. Try using a key other than '{call.idempotency_key}' "
                    "if you meant to execute a different request."
                )
            if record.params != call.params:
                raise idempotency(
                    "Keys for idempotent requests can only be used with the same parameters they were first "
                    f"used with. Try using a key other than '{call.idempotency_key}' if you meant to execute "
                    "a different request."
                )
            headers = {
                "Content-Type": "application/json",
                "Idempotent-Replayed": "true",
                "Original-Request": record.request_id,
            }
            return Response(record.status, record.body, headers)
        response = self._execute(found, call, path_params)
        # As Stripe: once an endpoint began executing its answer is kept, a 500 included (a refusal
        # of the parameters, 400, is not: the request never started).
        if response.status < 300 or response.status in (402, 500):
            self.store.idempotency[scope] = IdempotentResult(
                call.method, call.path, call.params, response.status, response.body, call.request_id or ""
            )
        return response

    def _execute(self, found: Route, call: Call, path_params: dict) -> Response:
        try:
            if call.failing != "before":
                result = found.handler(self.store, call, **path_params)
            if call.failing:
                error = api_error("An unexpected error occurred (injected by the fake Stripe server).")
                return Response(500, dump(error.body()), {"Content-Type": "application/json"})
        except StripeError as exc:
            return Response(exc.status, dump(exc.body()), {"Content-Type": "application/json"})
        except Exception:
            log.exception("fake stripe: %s %s failed", call.method, call.path)
            error = api_error("An unexpected error occurred in the fake Stripe server (see its log).")
            return Response(500, dump(error.body()), {"Content-Type": "application/json"})
        if isinstance(result, Raw):
            return Response(
                result.status, result.body, {"Content-Type": result.content_type} | result.headers
            )
        status, obj = result if isinstance(result, tuple) else (200, result)
        return Response(status, dump(obj), {"Content-Type": "application/json"})


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeStripe/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.0"

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_OPTIONS(self) -> None:
        self._serve("OPTIONS")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        response = self.server.app.handle(method, self.path, self.headers, body)  # type: ignore[attr-defined]
        if response.disconnect:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout_after fault, typically)


class FakeStripeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App) -> None:
        super().__init__(address, Handler)
        self.app = app


def make_server(
    host: str = "127.0.0.1",
    port: int = 12111,
    *,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    state_path: Path | None = None,
) -> FakeStripeServer:
    return FakeStripeServer((host, port), App(webhook_url, webhook_secret, state_path))
