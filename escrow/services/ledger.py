"""Posting to the double-entry ledger: one balanced transaction of append-only entries.

A posting is three statements whatever the accounts' history: the accounts' ids, the transaction
row, and its entries. Inserting the entries is what moves the guarded balances: the database locks
those accounts (primary-key order), adds the lines and refuses, by a CHECK, a balance below zero.
An account is made the first time a posting names it (a hold's, when the hold is made).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum

from marketplace.core.exceptions import Conflict

from ..models import LedgerAccount, LedgerEntry, LedgerTransaction

Kind = LedgerAccount.Kind
OVERDRAWN = "escrow_ledger_guarded_balance_not_negative"  # the CHECK's name, in the database's refusal


@dataclass(frozen=True)
class Account:
    """A ledger account named by its kind and owner, without reading it (postings take these)."""

    kind: str
    currency: str
    user_id: int | None = None
    hold_id: int | None = None

    @property
    def key(self) -> str:
        return LedgerAccount.key_of(self.kind, self.currency, user_id=self.user_id, hold_id=self.hold_id)

    @property
    def guarded(self) -> bool:
        return self.kind in LedgerAccount.GUARDED

    def row(self) -> LedgerAccount:
        return LedgerAccount(
            key=self.key,
            kind=self.kind,
            currency=self.currency,
            user_id=self.user_id,
            hold_id=self.hold_id,
            balance_minor=0 if self.guarded else None,
        )


def ledger_account(kind: str, currency: str, *, user_id: int | None = None, hold_id: int | None = None):
    """The account's row, made if no posting has named it yet."""
    account = Account(kind, currency, user_id, hold_id)
    ids = _account_ids([account])
    return LedgerAccount.objects.get(pk=ids[account.key])


def account_balance(account: LedgerAccount) -> int:
    """The sum of the account's entries (the reference a stored balance is compared with)."""
    return LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount_minor"))["total"] or 0


def ledger_accounts_make(accounts: Iterable[Account]) -> None:
    """Make these accounts ahead of their first posting (a hold's own, with the hold)."""
    LedgerAccount.objects.bulk_create([account.row() for account in accounts], ignore_conflicts=True)


def _account_ids(accounts: Iterable[Account]) -> dict[str, int]:
    """{key: id} of these accounts, making the missing ones (one statement when none is)."""
    wanted = {account.key: account for account in accounts}
    ids = dict(LedgerAccount.objects.filter(key__in=wanted).values_list("key", "pk"))
    if len(ids) < len(wanted):
        missing = [account.row() for key, account in wanted.items() if key not in ids]
        LedgerAccount.objects.bulk_create(missing, ignore_conflicts=True)  # a racing posting may win
        ids = dict(LedgerAccount.objects.filter(key__in=wanted).values_list("key", "pk"))
    return ids


def _as_account(account: Account | LedgerAccount) -> Account:
    if isinstance(account, Account):
        return account
    return Account(account.kind, account.currency, account.user_id, account.hold_id)


def ledger_post(
    *,
    kind: str,
    currency: str,
    lines: Sequence[tuple[Account | LedgerAccount, int]],
    hold=None,
    settlement=None,
    external_id: str = "",
    memo: str = "",
) -> LedgerTransaction:
    """Write one transaction. Lines are (account, signed amount: credit +, debit -); zero lines
    are dropped. The guarded accounts it touches are locked by the database as the entries go in
    (level 3 of ``escrow.locks``: after the hold and its escrow rows, which the caller holds), so
    two postings cannot both spend one balance, and a posting that would take one below zero is
    refused (``insufficient_balance``) with nothing of it written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_post() must run inside the caller's transaction.atomic block.")
    lines = [(_as_account(account), amount) for account, amount in lines if amount]
    if len(lines) < 2 or sum(amount for _, amount in lines) != 0:
        raise ValueError(f"An unbalanced ledger transaction: {[(a.key, n) for a, n in lines]}")
    if any(account.currency != currency for account, _ in lines):
        raise ValueError("Every line of a ledger transaction is in its currency.")
    ids = _account_ids(account for account, _ in lines)
    posted = LedgerTransaction.objects.create(
        kind=kind,
        currency=currency,
        hold=hold,
        settlement=settlement,
        external_id=external_id,
        memo=memo[:255],
    )
    try:
        LedgerEntry.objects.bulk_create(
            LedgerEntry(transaction=posted, account_id=ids[account.key], amount_minor=amount)
            for account, amount in lines
        )
    except IntegrityError as refusal:
        if OVERDRAWN not in str(refusal):
            raise
        taken = ", ".join(f"{-amount} from {account.key}" for account, amount in lines if amount < 0)
        raise Conflict(
            f"A ledger account holds less than this posting takes ({taken}).", code="insufficient_balance"
        ) from refusal
    return posted
