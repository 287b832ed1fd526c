"""Posting to the double-entry ledger: one balanced transaction of append-only entries.

A posting is two statements whatever the accounts' history: the transaction row, and its entries,
which name their accounts by key. Inserting the entries is what moves the guarded balances: the
database locks those accounts (primary-key order), adds the lines and refuses, by a CHECK, a
balance below zero. Accounts exist before their first posting: a hold makes every account its
money can touch (``hold_accounts``), and ``ledger_account`` makes any other.

Both are written in SQL (the same on PostgreSQL and SQLite), not through the ORM: a posting is the
hottest write of the money engine, and building the ORM queries cost more than running them
(bench/ledger.py measures it).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

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
    """The account's row, made if it does not exist yet."""
    account = Account(kind, currency, user_id, hold_id)
    ledger_accounts_make([account])
    return LedgerAccount.objects.get(key=account.key)


def account_balance(account: LedgerAccount) -> int:
    """The sum of the account's entries (the reference a stored balance is compared with)."""
    return LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount_minor"))["total"] or 0


def ledger_accounts_make(accounts: Iterable[Account]) -> None:
    """Make these accounts ahead of their first posting (a hold's own, with the hold)."""
    LedgerAccount.objects.bulk_create([account.row() for account in accounts], ignore_conflicts=True)


def hold_accounts(hold) -> list[Account]:
    """Every account a hold's money can touch: its own, its payer's and payee's, the platform's."""
    currency = hold.currency
    return [
        Account(Kind.ESCROW_HELD, currency, hold_id=hold.pk),
        Account(Kind.CLIENT_FUNDING, currency, user_id=hold.payer_id),
        Account(Kind.REFUNDS_PAYABLE, currency, user_id=hold.payer_id),
        Account(Kind.FREELANCER_PAYABLE, currency, user_id=hold.payee_id),
        Account(Kind.PLATFORM_REVENUE, currency),
        Account(Kind.PROCESSOR_CLEARING, currency),
    ]


def _placeholders(count: int, row: str) -> str:
    """``count`` placeholders (never values: those go as parameters)."""
    return ", ".join([row] * count)


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
    created_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO escrow_ledgertransaction"
            " (kind, currency, hold_id, settlement_id, external_id, memo, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
            [
                kind,
                currency,
                getattr(hold, "pk", None),
                getattr(settlement, "pk", None),
                external_id,
                memo[:255],
                connection.ops.adapt_datetimefield_value(created_at),
            ],
        )
        posted_id = cursor.fetchone()[0]
        line = "(%s, (SELECT id FROM escrow_ledgeraccount WHERE key = %s), %s)"
        try:
            cursor.execute(
                "INSERT INTO escrow_ledgerentry (transaction_id, account_id, amount_minor)"  # noqa: S608
                f" VALUES {_placeholders(len(lines), line)}",
                [value for account, amount in lines for value in (posted_id, account.key, amount)],
            )
        except IntegrityError as refusal:
            if OVERDRAWN in str(refusal):
                taken = ", ".join(f"{-amount} from {account.key}" for account, amount in lines if amount < 0)
                raise Conflict(
                    f"A ledger account holds less than this posting takes ({taken}).",
                    code="insufficient_balance",
                ) from refusal
            if "account_id" in str(refusal):
                raise LookupError(
                    f"A ledger account of {[account.key for account, _ in lines]} was never made "
                    "(hold_accounts, ledger_account)."
                ) from refusal
            raise
    return LedgerTransaction(
        pk=posted_id,
        kind=kind,
        currency=currency,
        hold=hold,
        settlement=settlement,
        external_id=external_id,
        memo=memo[:255],
        created_at=created_at,
    )
