"""What each middleware costs a request, in CPU time, without a server or a network in between.

    .venv/bin/python -m bench.stack_cost [requests]     # 700 by default, about a minute

Calls the bench's WSGI handlers (``bench.wsgi``: the full stack, no middleware, and the stack minus
each middleware in turn) in this process with an anonymous GET of the constant view, and prints
the CPU time per request of each (best of seven rounds) and its difference from the full stack.
Steadier than the gunicorn + wrk rows of ``python -m bench`` on a shared machine, since it
counts this process's CPU time only; the wrk rows say what a client sees. No database is touched
(an anonymous request with no session cookie reads none); logs go to /dev/null.
"""

import io
import os
import sys
import time
from contextlib import contextmanager

from bench.support import server_env

ROUNDS = 7


@contextmanager
def stderr_to_devnull():
    """The production logging handler writes to the stderr it found at setup: mute the descriptor."""
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def _environ() -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/_bench/constant/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "bench",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def _start_response(status: str, headers, exc_info=None) -> None:
    if not status.startswith("200"):
        raise RuntimeError(status)


def cost_per_request(requests: int) -> dict[str, float]:
    """CPU microseconds per request of each stack (bench.stacks names), best of seven rounds."""
    from bench import wsgi

    best: dict[str, float] = {}
    for _ in range(ROUNDS):
        for name, handler in wsgi.HANDLERS.items():
            for _ in range(50):
                b"".join(handler(_environ(), _start_response))
            started = time.process_time()
            for _ in range(requests):
                b"".join(handler(_environ(), _start_response))
            micros = (time.process_time() - started) / requests * 1e6
            best[name] = min(best.get(name, micros), micros)
    return best


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 700
    os.environ.update(server_env("marketplace_bench_unused"))
    with stderr_to_devnull():
        costs = cost_per_request(requests)
    full = costs["full"]
    print("| stack | CPU per request | the middleware's cost |\n|---|---:|---:|")
    for name, micros in costs.items():
        cost = "" if name == "full" else f"{full - micros:+.0f} µs"
        print(f"| {name.replace('without:', 'without ')} | {micros:.0f} µs | {cost} |")


if __name__ == "__main__":
    main()
