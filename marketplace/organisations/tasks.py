"""Pools' background work: the daily expiry sweep (beat)."""

from celery import shared_task

from .services.expiry import expiry_sweep as sweep


@shared_task(name="organisations.expiry_sweep")
def expiry_sweep() -> dict[str, int]:
    """Expire overrides, apply lapsed credentials' expiry action, send due reminders (idempotent)."""
    return sweep()
