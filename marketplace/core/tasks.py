import socket
from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from .models import Heartbeat

HEARTBEAT_RETENTION_DAYS = 7


@shared_task(name="core.record_heartbeat", ignore_result=True)
def record_heartbeat(*, source: str, sent_at: str | None = None) -> None:
    """Write a heartbeat row; ``sent_at`` (ISO 8601) is when the sender queued it, if known."""
    now = timezone.now()
    Heartbeat.objects.create(
        source=source,
        sent_at=datetime.fromisoformat(sent_at) if sent_at else now,
        worker=socket.gethostname(),
    )
    Heartbeat.objects.filter(received_at__lt=now - timedelta(days=HEARTBEAT_RETENTION_DAYS)).delete()
