"""The one way a stateful object changes state.

A model opts in with a ``status`` field (TextChoices) and a ``TRANSITIONS`` table mapping each
status to the statuses it may move to. ``transition`` locks the row, refuses an illegal move with
a ``Conflict`` (code ``illegal_transition``), writes a ``StatusChange`` row and sends
``status_changed`` once the transaction commits. Only services call it.
"""

from functools import partial

from django.db import models, transaction
from django.dispatch import Signal

from .exceptions import Conflict
from .models import StatusChange

# Sent after commit with sender=<model class>, instance_id, from_status, to_status, actor_id, reason.
status_changed = Signal()


def require_transition(obj: models.Model, to: str, *, table: dict | None = None) -> None:
    """Refuse, as ``transition`` would, a move the row's current status does not allow; for a service
    that must check before it does other work and moves the row (locking it) last. ``table``: a
    narrower table than the model's ``TRANSITIONS`` (the moves one kind of step may make)."""
    model = type(obj)
    if to not in (model.TRANSITIONS if table is None else table).get(obj.status, ()):
        labels = dict(model._meta.get_field("status").choices)
        raise Conflict(
            f"This {model._meta.verbose_name} is {labels.get(obj.status, obj.status).lower()}; "
            f"it cannot become {labels.get(to, to).lower()}.",
            code="illegal_transition",
        )


def transition(
    obj: models.Model, to: str, *, actor=None, reason: str = "", row_locked: bool = False, **changes
) -> models.Model:
    """Move ``obj`` to ``to`` and apply ``changes`` to the locked row; returns the locked row.

    ``row_locked``: ``obj`` is the row as the caller locked it in this transaction (fresh under
    its lock), so it is not read again."""
    model = type(obj)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside the service's transaction.atomic block.")
    locked = obj if row_locked else model._default_manager.select_for_update().get(pk=obj.pk)
    current = locked.status
    require_transition(locked, to)
    locked.status = to
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save(update_fields=["status", *changes])
    StatusChange.objects.create(
        target_type=model._meta.label_lower,
        target_id=locked.pk,
        from_status=current,
        to_status=to,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
    )
    transaction.on_commit(
        partial(
            status_changed.send,
            sender=model,
            instance_id=locked.pk,
            from_status=current,
            to_status=to,
            actor_id=getattr(actor, "pk", None),
            reason=reason,
        )
    )
    obj.status = to
    for field, value in changes.items():
        setattr(obj, field, value)
    return locked
