"""`make run` on the embedded default: SQLite, in-memory channel layer, eager tasks, one process."""

import httpx

from tests.support.processes import REPO_ROOT, free_port, project_env, running, wait_for_http


def test_make_run_serves_the_landing_page_and_health_probe(tmp_path, artifacts_dir):
    port = free_port()
    data_dir = tmp_path / "data"
    log = artifacts_dir / "logs" / "embedded-default.log"
    # The same command a person types, on a free port and a throwaway data folder.
    env = project_env(MARKETPLACE_DATA_DIR=str(data_dir))
    with running(["make", "--no-print-directory", "run", f"PORT={port}"], env=env, log=log) as proc:
        base = f"http://127.0.0.1:{port}"
        assert wait_for_http(f"{base}/healthz", proc=proc, log=log).json() == {"status": "ok"}

        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json()["checks"]["database"]["detail"] == "sqlite"

        landing = httpx.get(f"{base}/", timeout=10)
        assert landing.status_code == 200
        assert "escrow" in landing.text.lower()
        css = httpx.get(f"{base}/static/frontend/site.css", timeout=10)
        assert css.status_code == 200

    output = log.read_text()
    assert f"http://127.0.0.1:{port}/" in output
    assert (data_dir / "db.sqlite3").exists()
    assert REPO_ROOT.joinpath("Makefile").exists()
