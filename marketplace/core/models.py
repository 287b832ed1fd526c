from django.conf import settings
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


class AuditEntry(models.Model):
    """Who did what to whom: staff actions, permission and membership changes, money movements.

    Rows are only ever added. The target is named by model label and primary key, so the trail
    covers every app without core importing them.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=255)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"]),
            models.Index(fields=["-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"


class StatusChange(models.Model):
    """One row per state transition of any stateful object (written by ``core.transitions``)."""

    target_type = models.CharField(max_length=64)
    target_id = models.BigIntegerField()
    from_status = models.CharField(max_length=32)
    to_status = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.target_type}#{self.target_id}: {self.from_status} → {self.to_status}"


# One of settings.PRIVATE_MEDIA_DIRS: never served as media; ``core.files`` hands the files out.
FILES_DIR = "attachments/"


class StoredFile(models.Model):
    """A file someone attached to something: a job, a proposal, work handed in, a message, evidence.

    Checked by ``core.files`` before it is written (type sniffed from the content, size limits,
    images stripped of their metadata). Its owner links to it from its own side (a many-to-many
    field of the owner's model); ``owner_kind`` names the kind of owner that registered it
    (``core.files.register_file_owner``), which decides who may download or remove it.
    """

    owner_kind = models.CharField(max_length=64)
    file = models.FileField(upload_to=FILES_DIR + "%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name
