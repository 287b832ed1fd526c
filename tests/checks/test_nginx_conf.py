"""The compose stack's proxy (deploy/nginx.conf), run by the real nginx in front of a stand-in app:
it compresses pages, styles, scripts, JSON and SVG, and leaves the pages that show a secret alone."""

import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import httpx
import pytest

from tests.support.processes import REPO_ROOT, free_port, running, wait_until

CONF = REPO_ROOT / "deploy" / "nginx.conf"
BODY = "Lorem ipsum dolor sit amet, a text long enough to be worth compressing. " * 40
TYPES = {".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml"}


class _App(http.server.BaseHTTPRequestHandler):
    """Answers every path with the same text, typed by its extension (HTML without one)."""

    def do_GET(self):
        body = BODY.encode()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(Path(self.path).suffix, "text/html; charset=utf-8"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _local_conf(tmp_path: Path, *, port: int, app_port: int) -> Path:
    """The production file with only what ties it to the compose network replaced: the listening
    port, the upstreams' names, the log files and the user."""
    text = CONF.read_text()
    text = text.replace("user nginx;", "")
    text = re.sub(r"/var/log/nginx/(\w+)\.log", rf"{tmp_path}/\1.log", text)
    text = text.replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
    text = text.replace("web:8000", f"127.0.0.1:{app_port}").replace("ws:8001", f"127.0.0.1:{app_port}")
    text = f"pid {tmp_path}/nginx.pid;\n{text}"
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    return conf


@pytest.fixture
def proxy(tmp_path, artifacts_dir):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is not installed (Debian: apt-get install nginx-light)"
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    conf = _local_conf(tmp_path, port=port, app_port=app.server_address[1])
    checked = subprocess.run([nginx, "-t", "-c", str(conf)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    log = artifacts_dir / "logs" / "nginx.log"
    try:
        with running([nginx, "-c", str(conf), "-g", "daemon off;"], env={}, log=log) as proc:
            wait_until(
                lambda: _answers(port) or proc.poll() is not None, timeout=20, message=lambda: log.read_text()
            )
            yield f"http://127.0.0.1:{port}"
    finally:
        app.shutdown()


def _answers(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
    except httpx.HTTPError:
        return False
    return True


@pytest.mark.parametrize(
    "path", ["/", "/jobs/", "/static/frontend/site.css", "/static/app.js", "/api/x.json", "/static/i.svg"]
)
def test_text_answers_are_gzipped(proxy, path):
    response = httpx.get(proxy + path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == "gzip"
    assert "Accept-Encoding" in response.headers.get("vary", "")
    assert response.text == BODY  # httpx undid the compression


def test_a_client_that_does_not_accept_gzip_gets_plain_text(proxy):
    response = httpx.get(proxy + "/static/frontend/site.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.text == BODY


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/recovery-codes/",
        "/organisations/northwind/api-keys/",
        "/_allauth/browser/v1/account/authenticators/totp",
    ],
)
def test_pages_that_show_a_secret_are_not_compressed(proxy, path):
    response = httpx.get(proxy + path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
