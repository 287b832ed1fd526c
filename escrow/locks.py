"""Escrow's row locks, and the one order every transaction takes them in.

    1. the hold (or several, in primary-key order)     ``lock_hold``, ``lock_holds``
    2. the hold's escrow rows: charge, transfer, refund ``lock_charge``, ``lock_transfer``,
                                                        ``lock_refund``, ``lock_outgoing``,
                                                        ``lock_transfers``
    3. guarded ledger accounts, in primary-key order   taken by the database as a posting's
                                                        entries go in (``ledger_post``); ahead of
                                                        several postings ``lock_ledger_accounts``
    4. the higher apps' rows (milestone, week, contract), with their own helpers, after escrow's

A transaction takes a level only after the levels above it, never before: two transactions that
want the same hold and its charge then cannot each hold one and wait for the other. Rows of one
level are locked in primary-key order. Locking again a row the transaction holds already waits
for nothing, so it never breaks the order (``transition()`` re-locks the hold it moves).
A transaction may skip levels it does not need (the unblocking sweep locks transfers alone) but
never goes back up to one it skipped.

The helpers for escrow rows lock the row's hold first themselves, so the order cannot be got wrong
by a caller. Every ``select_for_update`` in escrow is in this module (a test checks that, and
that each service takes its locks in this order). Each helper must run inside the caller's
``transaction.atomic`` block: a lock outside a transaction ends with its statement.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Subquery

from .models import Charge, Hold, LedgerAccount, Refund, Transfer

# The level of each helper, for the order test and for readers.
LEVELS = {
    "hold": 1,
    "charge": 2,
    "charge_of": 2,
    "transfer": 2,
    "refund": 2,
    "ledger": 3,
}


def _in_transaction(helper: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"escrow.locks.{helper}() must run inside the caller's transaction.atomic block.")


def _pk(obj_or_pk) -> int:
    return obj_or_pk if isinstance(obj_or_pk, int) else obj_or_pk.pk


def lock_hold(hold: Hold | int | Subquery) -> Hold:
    """Level 1: the hold, as it is now (the caller's instance may be stale). A ``Subquery`` naming
    the hold's id finds and locks it in one statement."""
    _in_transaction("lock_hold")
    return Hold.objects.select_for_update().get(pk=hold if isinstance(hold, Subquery) else _pk(hold))


def lock_holds(holds: Iterable[Hold | int]) -> list[Hold]:
    """Level 1: several holds (say, every milestone's of a contract being cancelled), in primary-key
    order."""
    _in_transaction("lock_holds")
    pks = sorted({_pk(hold) for hold in holds})
    return list(Hold.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


def lock_charge(charge: Charge | int) -> tuple[Hold, Charge]:
    """Levels 1 and 2: the charge's hold, then the charge."""
    _in_transaction("lock_charge")
    hold = lock_hold(Subquery(Charge.objects.filter(pk=_pk(charge)).values("hold_id")))
    return hold, lock_charge_of(hold, charge)


def lock_charge_of(hold: Hold, charge: Charge | int) -> Charge:
    """Level 2: a charge of a hold the caller has locked (``lock_hold``) in this transaction."""
    _in_transaction("lock_charge_of")
    return Charge.objects.select_for_update().get(pk=_pk(charge), hold_id=hold.pk)


def lock_outgoing(model: type[Transfer] | type[Refund], row: Transfer | Refund | int):
    """Levels 1 and 2: the hold of a transfer's or refund's settlement, then the row (with its
    settlement). ``(hold, row)``."""
    _in_transaction("lock_outgoing")
    hold = lock_hold(Subquery(model.objects.filter(pk=_pk(row)).values("settlement__hold_id")))
    return hold, model.objects.select_for_update(of=("self",)).select_related("settlement").get(pk=_pk(row))


def lock_transfer(transfer: Transfer | int) -> tuple[Hold, Transfer]:
    return lock_outgoing(Transfer, transfer)


def lock_refund(refund: Refund | int) -> tuple[Hold, Refund]:
    return lock_outgoing(Refund, refund)


def lock_transfers(**filters) -> list[Transfer]:
    """Level 2 alone: the transfers matching ``filters``, in primary-key order, without their holds
    (for a sweep that changes only the transfers' own state and locks nothing after them)."""
    _in_transaction("lock_transfers")
    return list(Transfer.objects.select_for_update().filter(**filters).order_by("pk"))


def lock_ledger_accounts(keys: Iterable[str]) -> list[int]:
    """Level 3 ahead of a transaction's postings, for one that makes several (a split): the guarded
    accounts they will touch, in primary-key order, so that each posting's own lock (the database
    takes it as the entries go in) finds them held. A single posting needs none of this. The
    primary keys locked."""
    _in_transaction("lock_ledger_accounts")
    rows = LedgerAccount.objects.select_for_update(no_key=True).filter(
        key__in=set(keys), balance_minor__isnull=False
    )
    return list(rows.order_by("pk").values_list("pk", flat=True))
