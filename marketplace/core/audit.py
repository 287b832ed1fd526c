"""The audit trail: one call that every service uses to record a privileged action."""

from django.db import models

from .models import AuditEntry


def audit_record(*, actor, action: str, target: models.Model, summary: str, **data) -> AuditEntry:
    """Add an audit row in the caller's transaction (so it exists exactly when the change does)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:255],
        data=data,
    )


def audit_trail(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
