"""What the benchmarks share: a scratch database, the production-shaped servers, wrk, peak RSS.

The servers run the bench settings (``bench.settings``: the production profile with the bench's
URLconf added) on a scratch database of this run's own, dropped at the end.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LOGS = REPO / "artifacts" / "logs"
# Pub/sub channels ignore database numbers: the prefix keeps overlapping runs apart.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
STATIC_ROOT = Path(tempfile.gettempdir()) / f"marketplace-bench-static-{os.getpid()}"
# One per run: the bench process signs the sessions that the servers it starts must accept.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(["psql", "-q", "-d", database, "-c", sql], check=True, capture_output=True)


def create_database(name: str) -> None:
    """An empty database, or with BENCH_TEMPLATE_DATABASE set, a copy of that database: one already
    migrated (the bench's smoke test makes one per test process, tests/bench/test_bench_smoke.py),
    so that each part's ``migrate`` finds nothing to apply instead of migrating from empty."""
    template = os.environ.get("BENCH_TEMPLATE_DATABASE")
    psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """A database of this run's own (``name`` should carry the pid: runs may overlap)."""
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    create_database(name)
    try:
        yield name
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_env(database: str, **overrides: str) -> dict[str, str]:
    """The environment of the bench processes: production settings, this run's database and prefix."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=f"postgres:///{database}",
        REDIS_URL=REDIS_URL,
        CHANNEL_LAYER_PREFIX=f"bench-{os.getpid()}",
        CELERY_TASK_DEFAULT_QUEUE=f"bench-{os.getpid()}",
        CACHE_KEY_PREFIX=f"bench-{os.getpid()}",
        STRIPE_SECRET_KEY="sk_test_bench",
        STRIPE_PUBLISHABLE_KEY="pk_test_bench",
        STRIPE_WEBHOOK_SECRET="whsec_bench",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # As behind the TLS proxy of deploy/nginx.conf: requests carry X-Forwarded-Proto: https.
        USE_X_FORWARDED_PROTO="true",
        # ... and one trusted proxy, so each request's X-Forwarded-For is its client (WRK_SCRIPT).
        TRUSTED_PROXY_COUNT="1",
        PYTHONPATH=str(REPO),
        STATIC_ROOT=str(STATIC_ROOT),
        LOG_LEVEL=os.environ.get("BENCH_SERVER_LOG_LEVEL", "INFO"),  # as in production
        **overrides,
    )
    return env


def use_bench_settings(database: str) -> None:
    """Set up Django in this process on the bench settings and ``database``."""
    os.environ.update(server_env(database), LOG_LEVEL="WARNING")  # the servers log, not the bench
    import django

    django.setup()


@contextmanager
def running(args: list[str], *, env: dict[str, str], log_name: str) -> Iterator[subprocess.Popen]:
    """A long-running process in its own process group, stopped (the whole group) on exit."""
    LOGS.mkdir(parents=True, exist_ok=True)
    with (LOGS / log_name).open("wb") as out:
        proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)


def wait_for_http(url: str, *, proc: subprocess.Popen, log_name: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"{log_name}: exited {proc.returncode}:\n{(LOGS / log_name).read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s; see {LOGS / log_name}")


@contextmanager
def static_files() -> Iterator[None]:
    """collectstatic for the servers of this run (pages need the manifest), removed at the end."""
    from django.core.management import call_command

    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        yield
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)


@contextmanager
def gunicorn(database: str, *, workers: int = 3, **env_overrides: str) -> Iterator["Server"]:
    """The production shape of the web role (Dockerfile: sync workers, 3 of them) on loopback."""
    port = free_port()
    args = [str(VENV_BIN / "gunicorn"), "bench.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", str(workers), "--worker-class", "sync"]
    log_name = f"bench-gunicorn-{os.getpid()}.log"
    with running(args, env=server_env(database, **env_overrides), log_name=log_name) as proc:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", proc=proc, log_name=log_name)
        yield Server(f"http://127.0.0.1:{port}", proc)


@dataclass
class Server:
    base: str
    proc: subprocess.Popen

    def processes(self) -> list[int]:
        """The server's process and its children (gunicorn's workers)."""
        return [self.proc.pid, *children(self.proc.pid)]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def peak_rss_mb(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) among these processes, in MB."""
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def reset_peak_rss(pids: list[int]) -> None:
    """Start these processes' VmHWM again from their current RSS (Linux: clear_refs 5)."""
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


# --- wrk ------------------------------------------------------------------------------------------

# Every request from a different client address (as many visitors would be, behind the proxy), so
# the API's per-address throttle keeps a short history per key, as it does in production.
WRK_SCRIPT = """
local n = 0
request = function()
  n = n + 1
  wrk.headers["X-Forwarded-For"] = "10." .. (n % 200) .. "." .. (math.floor(n / 200) % 200) .. ".7"
  return wrk.format()
end
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int


REQUEST_TIMEOUT = 60  # seconds; a request slower than this fails the run


def wrk_available() -> bool:
    """wrk on PATH (Debian: apt-get install wrk); BENCH_NO_WRK=1 forces the Python fallback."""
    return shutil.which("wrk") is not None and not os.environ.get("BENCH_NO_WRK")


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def load(url: str, *, seconds: float, headers: dict[str, str] | None = None, connections: int = 6) -> Load:
    """Drive ``url`` for ``seconds`` with wrk (2 threads) on loopback; fail on any error answer."""
    headers = {"X-Forwarded-Proto": "https", **(headers or {})}
    if not wrk_available():
        return _python_load(url, seconds=seconds, headers=headers, connections=connections)
    script = LOGS / f"bench-wrk-{os.getpid()}.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(WRK_SCRIPT)
    # A slow endpoint is a figure, not an error: wrk's own 2 s timeout would count it as failed.
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", f"--timeout={REQUEST_TIMEOUT}s"]
    args += ["--latency", "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*args, url], check=True, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 30
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad or ("Socket errors" in out and re.search(r"(connect|read|write|timeout) [1-9]", out)):
        raise RuntimeError(f"wrk saw errors on {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))
    return Load(rate, p50, p99, requests)


def _python_load(url: str, *, seconds: float, headers: dict[str, str], connections: int) -> Load:
    """The fallback where wrk is not installed: threads of keep-alive clients (slower than wrk)."""
    import threading

    import httpx

    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        with httpx.Client(headers=headers, timeout=REQUEST_TIMEOUT) as http:
            n = 0
            while (started := time.perf_counter()) < deadline:
                n += 1
                response = http.get(url, headers={"X-Forwarded-For": f"10.{index}.{n % 250}.7"})
                latencies.append(time.perf_counter() - started)
                if response.status_code >= 400:
                    failures.append(f"{response.status_code}: {response.text[:200]}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"errors on {url}: {failures[:3]}")
    latencies.sort()
    return Load(
        len(latencies) / seconds,
        latencies[len(latencies) // 2] * 1000,
        latencies[int(len(latencies) * 0.99)] * 1000,
        len(latencies),
    )
