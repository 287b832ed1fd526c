from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Heartbeat
from .tasks import record_heartbeat


def heartbeat_request(*, acting_user) -> None:
    """Send a heartbeat task through the broker (staff only), after the request's transaction."""
    if not acting_user.is_staff:
        raise PermissionDenied("Only staff can ping the worker.")
    sent_at = timezone.now().isoformat()
    transaction.on_commit(lambda: record_heartbeat.delay(source=Heartbeat.Source.WEB, sent_at=sent_at))
