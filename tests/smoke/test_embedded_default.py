"""`make run` on the embedded default: SQLite, in-memory channel layer, eager tasks, one process."""

import socket
import sqlite3

import httpx

from tests.support.processes import free_port, project_env, run, running, wait_for_http, wait_until

DEMO_FREELANCER = "freelancer05@demo.marketplace.test"  # pool-only, active in a pool
DEMO_PASSWORD = "demo-password-2026"
DEMO_CLIENT_WITH_WORK_TO_APPROVE = "client03@demo.marketplace.test"  # paid, submitted, funded


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _beat_heartbeats(database) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(database) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE name = 'core_heartbeat'").fetchall()
        if not tables:
            return 0
        return conn.execute("SELECT count(*) FROM core_heartbeat WHERE source = 'beat'").fetchone()[0]


def test_make_run_serves_pages_and_runs_periodic_tasks(tmp_path, artifacts_dir):
    port = free_port()
    data_dir = tmp_path / "data"
    log = artifacts_dir / "logs" / "embedded-default.log"
    # The same command a person types, on a free port, a throwaway data folder and a fast beat.
    fake_stripe_port = free_port()
    env = project_env(
        MARKETPLACE_DATA_DIR=str(data_dir),
        HEARTBEAT_INTERVAL_SECONDS="1",
        STRIPE_FAKE_PORT=str(fake_stripe_port),
    )
    stripe_names = ("STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_JS_URL", "STRIPE_WEBHOOK_SECRET")
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", *stripe_names):
        env.pop(name, None)  # the embedded defaults, whatever the test run's own environment says
    with running(["make", "--no-print-directory", "run", f"PORT={port}"], env=env, log=log) as proc:
        # Before any request (which would import every view and task): the scheduler thread runs
        # the periodic task in this process.
        wait_until(lambda: _port_open(port) or proc.poll() is not None, timeout=120, message=log.read_text)
        wait_until(
            lambda: _beat_heartbeats(data_dir / "db.sqlite3") >= 1,
            timeout=30,
            message=lambda: f"no beat heartbeat without a request:\n{log.read_text()}",
        )

        base = f"http://127.0.0.1:{port}"
        assert wait_for_http(f"{base}/healthz", proc=proc, log=log).json() == {"status": "ok"}
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json()["checks"]["database"]["ok"] is True
        assert ready.json()["checks"]["redis"]["ok"] is None  # not used by the embedded default
        assert ready.json()["checks"]["search"]["ok"] is True  # SQLite FTS5, its own file

        landing = httpx.get(f"{base}/", timeout=10)
        assert landing.status_code == 200
        assert "escrow" in landing.text.lower()
        stylesheet = httpx.get(
            f"{base}/static/frontend/site.css", headers={"Accept-Encoding": "gzip"}, timeout=10
        )
        assert stylesheet.status_code == 200
        assert stylesheet.headers["content-encoding"] == "gzip"
        assert ".btn" in stylesheet.text
        # DEBUG is off unless asked for: a wrong link gets the product's own page, not Django's.
        missing = httpx.get(f"{base}/no-such-page/", timeout=10)
        assert missing.status_code == 404
        assert "We can't find that page" in missing.text
        assert "URLconf" not in missing.text

        _log_in_as_a_demo_user_and_visit_each_capability(base)
        # No Stripe key: the fake Stripe serves inside the process, Stripe.js stand-in included.
        fake = f"http://127.0.0.1:{fake_stripe_port}"
        assert httpx.get(f"{fake}/_fake/health", timeout=10).json() == {"ok": True}
        assert "confirmCardPayment" in httpx.get(f"{fake}/js.stripe.com/v3/", timeout=10).text
        _approve_the_demo_work_that_waits(base)

    assert f"http://127.0.0.1:{port}/" in log.read_text()
    assert "demo-password-2026" in log.read_text()  # seed_demo printed the demo logins


def _log_in(browser: httpx.Client, email: str) -> None:
    base = str(browser.base_url).rstrip("/")
    browser.get("/accounts/login/")
    browser.post(
        "/accounts/login/",
        data={"login": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
    )


def _approve_the_demo_work_that_waits(base: str) -> None:
    """seed_demo funded the demo's milestones through a fake Stripe of its own process, before the
    server started: the server's fake (read from the data folder) still knows that money, so
    approving the work waiting pays it out at once."""
    with httpx.Client(base_url=base, timeout=15, follow_redirects=True) as browser:
        _log_in(browser, DEMO_CLIENT_WITH_WORK_TO_APPROVE)
        contract = browser.get("/api/contracts/").json()["results"][0]
        milestones = browser.get(f"/api/contracts/{contract['id']}/milestones/").json()["results"]
        assert [m["status"] for m in milestones] == ["released", "submitted", "funded"]
        url = f"/api/contracts/{contract['id']}/milestones/{milestones[1]['id']}/approve/"
        approved = browser.post(url, headers={"X-CSRFToken": browser.cookies["csrftoken"], "Referer": base})
        assert approved.status_code == 200, approved.text
        again = browser.get(f"/api/contracts/{contract['id']}/milestones/{milestones[1]['id']}/").json()
        assert again["status"] == "released", again


def _log_in_as_a_demo_user_and_visit_each_capability(base: str) -> None:
    with httpx.Client(base_url=base, timeout=15, follow_redirects=True) as browser:
        login_page = browser.get("/accounts/login/")
        token = browser.cookies["csrftoken"]
        assert login_page.status_code == 200
        logged_in = browser.post(
            "/accounts/login/",
            data={"login": DEMO_FREELANCER, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/accounts/login/"},
        )
        assert logged_in.url.path == "/dashboard/", logged_in.url
        profile = browser.get("/api/me/freelancer-profile/").json()
        pages = ["/dashboard/", "/profile/edit/", "/profile/portfolio/", "/pools/", "/organisations/"]
        pages += ["/jobs/", "/proposals/", "/job-invitations/", "/offers/", "/contracts/", "/notifications/"]
        pages += ["/earnings/", "/payments/", "/account/payouts/", "/messages/", "/account/emails/"]
        for path in pages:
            assert browser.get(path).status_code == 200, path
        # Messaging on SQLite and the in-memory layer: the conversation of the demo freelancer's
        # proposal (opened by the seeding's events), and a message in it.
        conversations = browser.get("/api/conversations/").json()["results"]
        chat = next(c for c in conversations if c["kind"] == "proposal")
        assert browser.get(f"/messages/{chat['id']}/").status_code == 200
        reply = browser.post(
            f"/api/conversations/{chat['id']}/messages/",
            json={"body": "Here is the plan for the first two weeks."},
            headers={"X-CSRFToken": browser.cookies["csrftoken"], "Referer": f"{base}/messages/"},
        )
        assert reply.status_code == 201, reply.text
        jobs = browser.get("/api/jobs/").json()
        assert jobs["count"] > 0, jobs  # the demo's open public jobs
        assert browser.get(f"/jobs/{jobs['results'][0]['id']}/").status_code == 200
        public = browser.get(f"/freelancers/{profile['handle']}/")
        assert public.status_code == 200
        # Eager tasks in the embedded default: the rendition exists by now, served from /media/.
        rendition = profile["avatar"]["renditions"]["square_256"]
        assert rendition.endswith("square_256.webp")
        avatar = browser.get(rendition)
        assert avatar.status_code == 200
        assert avatar.headers["content-type"] == "image/webp"


def test_debug_pages_are_opt_in(tmp_path):
    env = project_env(MARKETPLACE_DATA_DIR=str(tmp_path))
    env.pop("DEBUG", None)
    show = ["python", "manage.py", "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"]
    assert run(show, env=env).stdout.strip().endswith("False")
    assert run(show, env={**env, "DEBUG": "1"}).stdout.strip().endswith("True")
