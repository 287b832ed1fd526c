"""Posting to the double-entry ledger: one balanced transaction of append-only entries."""

from collections import Counter
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Sum

from marketplace.core.exceptions import Conflict

from .. import locks
from ..models import LedgerAccount, LedgerEntry, LedgerTransaction

Kind = LedgerAccount.Kind
PLATFORM_KINDS = (Kind.PLATFORM_REVENUE, Kind.PROCESSOR_CLEARING)


def ledger_account(kind: str, currency: str, *, user_id: int | None = None, hold_id: int | None = None):
    """The account of that kind and owner in that currency, made the first time it is used."""
    owner = f"hold:{hold_id}" if hold_id else f"user:{user_id}" if user_id else "platform"
    account, _ = LedgerAccount.objects.get_or_create(
        key=f"{kind}:{currency}:{owner}",
        defaults={"kind": kind, "currency": currency, "user_id": user_id, "hold_id": hold_id},
    )
    return account


def account_balance(account: LedgerAccount) -> int:
    return LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount_minor"))["total"] or 0


def ledger_post(
    *,
    kind: str,
    currency: str,
    lines: Sequence[tuple[LedgerAccount, int]],
    hold=None,
    settlement=None,
    external_id: str = "",
    memo: str = "",
) -> LedgerTransaction:
    """Write one transaction. Lines are (account, signed amount: credit +, debit -); zero lines
    are dropped. Accounts that may not go negative and that the transaction takes money from (net
    of all its lines on them) are locked (``locks.lock_ledger_accounts``: pk order, after the hold
    and its escrow row) before their balance is checked, so two postings cannot both spend the
    same balance, and no posting takes an account below zero."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_post() must run inside the caller's transaction.atomic block.")
    lines = [(account, amount) for account, amount in lines if amount]
    if len(lines) < 2 or sum(amount for _, amount in lines) != 0:
        raise ValueError(f"An unbalanced ledger transaction: {[(a.key, n) for a, n in lines]}")
    if any(account.currency != currency for account, _ in lines):
        raise ValueError("Every line of a ledger transaction is in its currency.")
    net = Counter()
    for account, amount in lines:
        net[account.pk] += amount
    accounts = {account.pk: account for account, _ in lines}
    debited = locks.lock_ledger_accounts(
        pk for pk, account in accounts.items() if net[pk] < 0 and account.kind in LedgerAccount.NON_NEGATIVE
    )
    for pk in debited:
        if account_balance(accounts[pk]) + net[pk] < 0:
            raise Conflict(
                f"{accounts[pk].get_kind_display()} holds less than {-net[pk]} minor units.",
                code="insufficient_balance",
            )
    posted = LedgerTransaction.objects.create(
        kind=kind,
        currency=currency,
        hold=hold,
        settlement=settlement,
        external_id=external_id,
        memo=memo[:255],
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=posted, account=account, amount_minor=amount) for account, amount in lines
    )
    return posted
