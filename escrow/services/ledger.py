"""Posting to the double-entry ledger: one balanced transaction of append-only entries.

A posting is one statement on PostgreSQL (two on SQLite) whatever the accounts' history: it
inserts the transaction row and its entries, which name their accounts by key. Inserting the
entries is what moves the guarded balances: the database locks those accounts (primary-key
order), adds the lines and refuses, by a CHECK, a balance below zero. Accounts exist before
their first posting: a hold makes every account its money can touch (``hold_accounts``), and
``ledger_account`` makes any other.

It is written in SQL, not through the ORM: a posting is the hottest write of the money engine,
and building the ORM queries cost more than running them (bench/ledger.py measures it).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from marketplace.core.exceptions import Conflict

from ..models import LedgerAccount, LedgerEntry

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
        Account(Kind.PROCESSOR_FEES, currency),
        Account(Kind.PROCESSOR_CLEARING, currency),
    ]


def _placeholders(count: int, row: str) -> str:
    """``count`` placeholders (never values: those go as parameters)."""
    return ", ".join([row] * count)


def _cursor():
    """A cursor for a posting, in Django's wrapper (database errors translated, queries logged).
    On PostgreSQL it binds parameters on the server, so psycopg prepares a posting's statements
    once they repeat (``DB_PREPARE_THRESHOLD``) and they are planned once per connection, not once
    per posting; Django's own cursors bind on the client and cannot prepare."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    return wrap(cursor)


def _as_account(account: Account | LedgerAccount) -> Account:
    if isinstance(account, Account):
        return account
    return Account(account.kind, account.currency, account.user_id, account.hold_id)


_TRANSACTION_COLUMNS = "(kind, currency, hold_id, settlement_id, external_id, memo, created_at)"
_ACCOUNT_ID = "(SELECT id FROM escrow_ledgeraccount WHERE key = %s)"


@cache
def _posting_sql(vendor: str, line_count: int) -> tuple[str, ...]:
    """A posting's statements for this many lines. PostgreSQL writes the transaction and its
    entries in one statement; SQLite cannot insert in a WITH clause, so it takes two, the second
    given the new transaction's id as the first parameter of each line."""
    transaction_values = f"VALUES ({_placeholders(7, '%s')})"
    if vendor == "postgresql":
        lines = _placeholders(line_count, f"((SELECT id FROM posted), {_ACCOUNT_ID}, %s)")  # noqa: S608
        return (
            f"WITH posted AS (INSERT INTO escrow_ledgertransaction {_TRANSACTION_COLUMNS}"  # noqa: S608
            f" {transaction_values} RETURNING id)"
            f" INSERT INTO escrow_ledgerentry (transaction_id, account_id, amount_minor) VALUES {lines}"
            " RETURNING transaction_id",
        )
    lines = _placeholders(line_count, f"(%s, {_ACCOUNT_ID}, %s)")
    return (
        f"INSERT INTO escrow_ledgertransaction {_TRANSACTION_COLUMNS} {transaction_values} RETURNING id",
        f"INSERT INTO escrow_ledgerentry (transaction_id, account_id, amount_minor) VALUES {lines}",  # noqa: S608
    )


def ledger_post(
    *,
    kind: str,
    currency: str,
    lines: Sequence[tuple[Account | LedgerAccount, int]],
    hold=None,
    settlement=None,
    external_id: str = "",
    memo: str = "",
) -> int:
    """Write one transaction and return its id. Lines are (account, signed amount: credit +,
    debit -); zero lines are dropped. The guarded accounts it touches are locked by the database
    as the entries go in (level 3 of ``escrow.locks``: after the hold and its escrow rows, which
    the caller holds), so two postings cannot both spend one balance, and a posting that would
    take one below zero is refused (``insufficient_balance``) with nothing of it written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_post() must run inside the caller's transaction.atomic block.")
    lines = [(_as_account(account), amount) for account, amount in lines if amount]
    if len(lines) < 2 or sum(amount for _, amount in lines) != 0:
        raise ValueError(f"An unbalanced ledger transaction: {[(a.key, n) for a, n in lines]}")
    if any(account.currency != currency for account, _ in lines):
        raise ValueError("Every line of a ledger transaction is in its currency.")
    posting = [
        kind,
        currency,
        getattr(hold, "pk", None),
        getattr(settlement, "pk", None),
        external_id,
        memo[:255],
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    statements = _posting_sql(connection.vendor, len(lines))
    with _cursor() as cursor:
        try:
            if len(statements) == 1:
                cursor.execute(statements[0], [*posting, *(v for a, n in lines for v in (a.key, n))])
                return cursor.fetchone()[0]
            cursor.execute(statements[0], posting)
            posted_id = cursor.fetchone()[0]
            cursor.execute(statements[1], [v for a, n in lines for v in (posted_id, a.key, n)])
            return posted_id
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
