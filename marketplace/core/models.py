from django.db import models


class Heartbeat(models.Model):
    """A task that went through the broker and ran on a worker.

    Beat sends one a minute and staff can send one from the operations page, so the time between
    ``sent_at`` and ``received_at`` is the queue's latency and the newest row says the worker lives.
    """

    class Source(models.TextChoices):
        BEAT = "beat", "Scheduler (beat)"
        WEB = "web", "Operations page"

    source = models.CharField(max_length=16, choices=Source.choices)
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    worker = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["source", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.source} heartbeat at {self.received_at:%Y-%m-%d %H:%M:%S}"

    @property
    def latency_ms(self) -> float:
        return (self.received_at - self.sent_at).total_seconds() * 1000
