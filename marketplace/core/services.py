import socket
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .exceptions import DependencyUnavailable
from .models import Heartbeat
from .task_queue import task_named

HEARTBEAT_RETENTION = timedelta(days=7)


def heartbeat_request(*, acting_user) -> None:
    """Send a heartbeat task through the broker (staff only).

    Nothing is written here, so there is no commit to wait for: the task is sent now (by name, as
    services never import tasks), not queued for after commit. The send does not retry, so that a
    broker that is down is reported at once rather than after a long wait.
    """
    if not acting_user.is_staff:
        raise PermissionDenied("Only staff can ping the worker.")
    kwargs = {"source": Heartbeat.Source.WEB, "sent_at": timezone.now().isoformat()}
    try:
        task_named("core.record_heartbeat").apply_async(kwargs=kwargs, retry=False)
    except OperationalError as exc:
        raise DependencyUnavailable(f"The task broker did not accept the task: {exc}") from exc


@transaction.atomic
def heartbeat_record(*, source: str, sent_at: datetime | None) -> Heartbeat:
    """Record that a worker ran a heartbeat task, and prune the ones past retention."""
    now = timezone.now()
    heartbeat = Heartbeat.objects.create(source=source, sent_at=sent_at or now, worker=socket.gethostname())
    Heartbeat.objects.filter(received_at__lt=now - HEARTBEAT_RETENTION).delete()
    return heartbeat
