from django.db.models import QuerySet

from .exceptions import NotFound
from .models import Heartbeat

RECENT_HEARTBEATS = 10


def heartbeats_recent() -> list[Heartbeat]:
    return list(Heartbeat.objects.order_by("-received_at")[:RECENT_HEARTBEATS])


def one_visible(queryset: QuerySet, *, pk: int, noun: str):
    """The row ``pk`` of an already visibility-filtered queryset, or a 404 (``<noun>_not_found``) that
    says nothing of whether the row exists for someone else."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No such {noun}.", code=f"{noun}_not_found")
    return found
