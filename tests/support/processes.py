"""Run the project's real server and worker processes from tests, and always stop them."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_name(stem: str) -> str:
    """``stem.log``; under pytest-xdist ``stem-gw0.log``: parallel workers each keep their own log."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"{stem}-{worker}.log" if worker else f"{stem}.log"


def project_env(**overrides: str) -> dict[str, str]:
    """The current environment plus ``overrides``, with the venv first on PATH."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # Neither the test profile nor the browser tests' async-safety waiver may leak into servers.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def env_on_test_database(settings) -> dict[str, str]:
    """The environment for a server or worker process on the test profile and the test database
    (use with ``transactional_db``, so that the process sees the rows a test commits)."""
    return project_env(
        DJANGO_SETTINGS_MODULE="marketplace.config.settings.test",
        DATABASE_URL=f"postgres:///{settings.DATABASES['default']['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **{
            name: str(getattr(settings, name))
            for name in (
                "STRIPE_API_BASE",
                "STRIPE_SECRET_KEY",
                "STRIPE_PUBLISHABLE_KEY",
                "STRIPE_WEBHOOK_SECRET",
                "STRIPE_JS_URL",
                "STRIPE_TIMEOUT_SECONDS",
            )
        },
    )


def celery_worker_command() -> list[str]:
    """A Celery worker of the project's app: one process, no cluster chatter, quick to start."""
    command = [str(VENV_BIN / "celery"), "-A", "marketplace.config", "worker", "--pool", "solo"]
    return [*command, "--without-gossip", "--without-mingle", "--loglevel", "INFO"]


def run(args: list[str], *, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a command to completion in the repository; fail the test with its output if it fails."""
    result = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result


@contextmanager
def running(args: list[str], *, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """Start a long-running process in its own process group; stop the whole group on exit."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield proc
        finally:
            _stop_group(proc)


def _stop_group(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def wait_for_http(url: str, *, proc: subprocess.Popen, log: Path, timeout: float = 120) -> httpx.Response:
    """Poll ``url`` until it answers 200; fail early, with the log, if the process dies."""
    deadline = time.monotonic() + timeout
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"process exited {proc.returncode} before {url} answered:\n{log.read_text()}"
            )
        try:
            response = httpx.get(url, timeout=5)
            if response.status_code == 200:
                return response
            last_error = f"HTTP {response.status_code}: {response.text[:500]}"
        except httpx.TransportError as exc:
            last_error = repr(exc)
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer 200 in {timeout}s ({last_error}):\n{log.read_text()}")


def wait_until(predicate, *, timeout: float, message: Callable[[], str], interval: float = 0.25):
    """Poll ``predicate`` until it returns something truthy, and return that; else fail with
    ``message()`` (a callable, so that it can read logs written while waiting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message())
