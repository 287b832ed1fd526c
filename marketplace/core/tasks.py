from datetime import datetime

from celery import shared_task

from .services import heartbeat_record


@shared_task(name="core.record_heartbeat", ignore_result=True)
def record_heartbeat(*, source: str, sent_at: str | None = None) -> None:
    """``sent_at`` (ISO 8601) is when the sender queued the task; beat's heartbeats have none."""
    heartbeat_record(source=source, sent_at=datetime.fromisoformat(sent_at) if sent_at else None)
