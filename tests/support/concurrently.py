"""Run calls in threads that start together, each on its own PostgreSQL connection.

For race tests (they need ``transactional_db``: the threads' connections must see the test's rows).
"""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(*calls: Callable[[], object], timeout: float = 30) -> list[object]:
    """Start every call at the same moment (a barrier); return each one's result or the exception it
    raised, in the order given."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test asserts on
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("A thread is still running: a lock was never released.")
    return outcomes
