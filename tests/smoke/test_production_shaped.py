"""The production shape on real services: gunicorn (WSGI), uvicorn (ASGI, websockets) and a Celery
worker, all with production settings on PostgreSQL and Redis, each its own process."""

import json
import secrets
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import httpx
import psycopg
import pytest
import redis
from websockets.sync.client import connect as ws_connect

from tests.support.processes import (
    VENV_BIN,
    celery_worker_command,
    free_port,
    project_env,
    run,
    running,
    wait_for_http,
    wait_until,
)

PASSWORD = "smoke-" + secrets.token_urlsafe(12)
EMAIL = "ops@example.com"
IDLE_SECONDS = 30
MIGRATE_AND_COLLECT = ("migrate", "collectstatic")


@pytest.fixture
def smoke_database():
    name = f"smoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect("dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# A Redis database of its own: the broker queue must not hold tasks left by an earlier run.
SMOKE_REDIS_URL = "redis://127.0.0.1:6379/2"


@pytest.fixture
def production_env(smoke_database, tmp_path):
    redis.Redis.from_url(SMOKE_REDIS_URL).flushdb()
    return project_env(
        DJANGO_SETTINGS_MODULE="marketplace.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres:///{smoke_database}",
        REDIS_URL=SMOKE_REDIS_URL,
        STRIPE_SECRET_KEY="sk_test_settings_check",
        STRIPE_PUBLISHABLE_KEY="pk_test_settings_check",
        STRIPE_WEBHOOK_SECRET="whsec_settings_check",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        USE_X_FORWARDED_PROTO="true",
        STATIC_ROOT=str(tmp_path / "static"),
        MARKETPLACE_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SUPERUSER_EMAIL=EMAIL,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )


class SecureSession:
    """An HTTP client for a TLS-terminating proxy's view: sends X-Forwarded-Proto: https and keeps
    the Secure cookies that a plain-HTTP cookie jar would refuse to send back."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.origin = base.replace("http://", "https://")

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        response = httpx.request(method, self.base + path, headers=headers, timeout=15, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response


def _web_heartbeats(database: str) -> int:
    with psycopg.connect(f"dbname={database}") as conn:
        return conn.execute("SELECT count(*) FROM core_heartbeat WHERE source = 'web'").fetchone()[0]


def _user_id(database: str, email: str) -> int:
    with psycopg.connect(f"dbname={database}") as conn:
        return conn.execute("SELECT id FROM accounts_user WHERE email = %s", [email]).fetchone()[0]


def test_wsgi_asgi_and_worker_serve_the_product_together(production_env, smoke_database, artifacts_dir):
    logs = artifacts_dir / "logs"
    manage = [str(VENV_BIN / "python"), "manage.py"]
    # collectstatic needs no database: it runs while the migrations do (the servers start after both:
    # whitenoise reads STATIC_ROOT as it starts). Side by side each may take longer than alone on a
    # busy machine: a wider timeout than run()'s default.
    with ThreadPoolExecutor(max_workers=2) as pool:
        steps = [
            pool.submit(run, [*manage, step, "--noinput"], env=production_env, timeout=300)
            for step in MIGRATE_AND_COLLECT
        ]
        for step in steps:
            step.result()

    web_port, ws_port = free_port(), free_port()
    web_cmd = [str(VENV_BIN / "gunicorn"), "marketplace.config.wsgi:application"]
    web_cmd += ["--bind", f"127.0.0.1:{web_port}", "--workers", "2"]
    ws_cmd = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application"]
    ws_cmd += ["--host", "127.0.0.1", "--port", str(ws_port), "--lifespan", "off", "--no-access-log"]

    with (
        running(web_cmd, env=production_env, log=logs / "prod-web.log") as web,
        running(ws_cmd, env=production_env, log=logs / "prod-ws.log") as ws,
        running(celery_worker_command(), env=production_env, log=logs / "prod-worker.log"),
    ):
        # The staff account is made while the servers start (they need it only at the login below).
        run([*manage, "createsuperuser", "--noinput"], env=production_env)
        base = f"http://127.0.0.1:{web_port}"
        ready = wait_for_http(f"{base}/readyz", proc=web, log=logs / "prod-web.log").json()
        assert ready["checks"]["database"]["ok"] is True
        assert ready["checks"]["redis"]["ok"] is True
        wait_for_http(f"http://127.0.0.1:{ws_port}/healthz", proc=ws, log=logs / "prod-ws.log")

        # Plain HTTP is redirected to HTTPS; the probes are exempt.
        plain = httpx.get(f"{base}/", timeout=10)
        assert plain.status_code == 301
        assert plain.headers["location"].startswith("https://")

        staff = SecureSession(base)
        login_page = staff.request("GET", "/admin/login/")
        assert login_page.status_code == 200
        login = staff.request(
            "POST",
            "/admin/login/?next=/ops/",
            data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": staff.cookies["csrftoken"]},
        )
        assert login.status_code == 302, login.text[:500]
        assert "sessionid" in staff.cookies

        ws_url = f"ws://127.0.0.1:{ws_port}/ws/events/"
        ws_headers = {
            "Cookie": f"sessionid={staff.cookies['sessionid']}",
            "Origin": f"http://127.0.0.1:{ws_port}",
        }
        with ws_connect(ws_url, additional_headers=ws_headers, open_timeout=10) as socket:
            opened_at = time.monotonic()

            # While the socket idles: the web process sends a task, the worker writes the row.
            ops_page = staff.request("GET", "/ops/", headers={"X-Request-ID": "smoke-request-1"})
            assert ops_page.status_code == 200
            ping = staff.request(
                "POST", "/ops/ping", data={"csrfmiddlewaretoken": staff.cookies["csrftoken"]}
            )
            assert ping.status_code == 302
            assert ping.headers["location"] == "/ops/"
            wait_until(
                lambda: _web_heartbeats(smoke_database) == 1,
                timeout=60,
                message=lambda: f"the worker wrote no heartbeat:\n{(logs / 'prod-worker.log').read_text()}",
            )

            time.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - opened_at)))
            event = {"type": "smoke.ping", "nonce": uuid.uuid4().hex}
            send = f"send_event_on_commit([{_user_id(smoke_database, EMAIL)}], {event!r})"
            shell = "from messaging.realtime import send_event_on_commit; " + send
            run([*manage, "shell", "-c", shell], env=production_env)
            received = json.loads(socket.recv(timeout=15))
            assert isinstance(received.pop("id"), int)  # the user's event id, from the log
            assert received == event

    # Production logs are JSON lines that carry the request id.
    lines = [
        json.loads(line) for line in (logs / "prod-web.log").read_text().splitlines() if line.startswith("{")
    ]
    assert any(line.get("request_id") == "smoke-request-1" for line in lines), lines[-5:]
