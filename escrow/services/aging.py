"""Money that waits too long for its transfer (PRODUCT.md "Escrow and payments"): the processor
lets a charge's funds wait at most 90 days before they are transferred with ``source_transaction``
(connected accounts outside the US). A charge's money "waits" while its hold still holds some of it,
or while a transfer released from it has not gone out.

At HOLD_AGE_WARNING_DAYS both sides are told once (``events.hold_aging``) and staff see the hold
on /ops/. At HOLD_AGE_LIMIT_DAYS the money goes back to the payer unless it was approved or is in
dispute: escrow asks the hold's owner (``events.hold_age_limit``, inside the transaction with the
hold locked; a milestone that can be refunded refunds itself) and flags to staff whatever is left
(a frozen hold, a released transfer still waiting, a hold nobody settled).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import events, locks
from ..models import Charge, Hold, Transfer

WAITING_TRANSFER = (Transfer.Status.INTENDED, Transfer.Status.BLOCKED, Transfer.Status.STUCK)


def _waiting(hold_ids=None):
    """Holds whose charge's money is not all transferred or refunded yet."""
    unsent = Transfer.objects.filter(status__in=WAITING_TRANSFER).values("settlement__hold_id")
    holds = Hold.objects.filter(Q(status__in=[Hold.Status.FUNDED, Hold.Status.FROZEN]) | Q(pk__in=unsent))
    return holds if hold_ids is None else holds.filter(pk__in=hold_ids)


def _paid_before(moment) -> Q:
    paid = Charge.objects.filter(status=Charge.Status.SUCCEEDED, succeeded_at__lt=moment).values("hold_id")
    return Q(pk__in=paid)


def age_limit_on(hold: Hold):
    """The day the hold's charge reaches the limit (None: not paid)."""
    paid = Charge.objects.filter(hold=hold, status=Charge.Status.SUCCEEDED)
    paid_at = paid.values_list("succeeded_at", flat=True).first()
    return paid_at + timedelta(days=settings.HOLD_AGE_LIMIT_DAYS) if paid_at else None


def _at_limit(hold_id: int, now) -> bool:
    """Settle (through the owner) or flag one hold at the limit; True when it was flagged."""
    with transaction.atomic():
        locked = locks.lock_hold(hold_id)
        if locked.age_flagged_at is not None:
            return False
        if locked.status == Hold.Status.FUNDED:
            events.hold_age_limit.send(sender=Hold, hold=locked)
        if not _waiting([locked.pk]).exists():
            return False  # all of it went back (or out)
        Hold.objects.filter(pk=locked.pk).update(age_flagged_at=now)
        return True


def holds_aging(now=None) -> dict[str, int]:
    """Warn about holds at HOLD_AGE_WARNING_DAYS and handle those at HOLD_AGE_LIMIT_DAYS (beat runs it
    daily; idempotent: each hold is warned once and flagged once)."""
    now = now or timezone.now()
    done = {"warned": 0, "settled": 0, "flagged": 0}
    limit = now - timedelta(days=settings.HOLD_AGE_LIMIT_DAYS)
    for hold_id in (
        _waiting()
        .filter(_paid_before(limit), age_flagged_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        done["flagged" if _at_limit(hold_id, now) else "settled"] += 1
    warn = now - timedelta(days=settings.HOLD_AGE_WARNING_DAYS)
    for hold in _waiting().filter(_paid_before(warn), age_warned_at=None).order_by("pk"):
        if Hold.objects.filter(pk=hold.pk, age_warned_at=None).update(age_warned_at=now):
            events.hold_aging.send(sender=Hold, hold=hold, limit_on=age_limit_on(hold))
            done["warned"] += 1
    return done
