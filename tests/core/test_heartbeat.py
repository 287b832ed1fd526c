"""The heartbeat task through the real broker (Redis) and a real Celery worker process."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.models import Heartbeat
from marketplace.core.services import HEARTBEAT_RETENTION, heartbeat_record, heartbeat_request
from tests.factories import make_user
from tests.support.processes import wait_until


def test_a_staff_ping_goes_through_the_broker_and_the_worker_writes_the_row(celery_worker, artifacts_dir):
    heartbeat_request(acting_user=make_user(staff=True))
    heartbeat = wait_until(
        lambda: Heartbeat.objects.filter(source=Heartbeat.Source.WEB).first(),
        timeout=60,
        message=lambda: (artifacts_dir / "logs" / "celery-worker.log").read_text(),
    )
    assert heartbeat.worker
    assert heartbeat.received_at >= heartbeat.sent_at


@pytest.mark.django_db
def test_recording_a_heartbeat_prunes_the_ones_past_retention():
    old = heartbeat_record(source=Heartbeat.Source.BEAT, sent_at=None)
    Heartbeat.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - HEARTBEAT_RETENTION - timedelta(1)
    )
    kept = heartbeat_record(source=Heartbeat.Source.BEAT, sent_at=None)
    recent = heartbeat_record(source=Heartbeat.Source.BEAT, sent_at=None)
    assert set(Heartbeat.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
