"""Guarded ledger accounts keep their balance, maintained by the database from the entries.

Every existing hold gets the accounts its postings name (a posting no longer makes them).
The balance starts as the sum of the account's entries; from then on a trigger adds each insert's
lines to it (on PostgreSQL once per INSERT statement, through the statement's transition table,
one account at a time in primary-key order), and on PostgreSQL a second trigger refuses any
other change to it. On PostgreSQL the entries' trigger also takes over 0002's check that every
transaction adds up to zero: once per statement instead of once per entry row at commit, so a
transaction's entries go in together (as ``ledger_post`` writes them). The CHECK constraint
keeps guarded balances at zero or more, so no posting can overdraw one, whatever code writes it.
"""

import importlib

from django.db import migrations, models

GUARDS_0002 = importlib.import_module("escrow.migrations.0002_ledger_guards")
# 0002's deferred per-row check that a transaction balances, put back when this is reversed.
POSTGRES_0002_BALANCE_CHECK = GUARDS_0002.POSTGRES[3:5]
_run = GUARDS_0002._run  # runs the statements of the database's vendor

GUARDED = ("escrow_held", "freelancer_payable", "refunds_payable")
OPENING_BALANCES = """
UPDATE escrow_ledgeraccount SET balance_minor = COALESCE(
    (SELECT SUM(amount_minor) FROM escrow_ledgerentry WHERE account_id = escrow_ledgeraccount.id), 0
) WHERE kind IN ('escrow_held', 'freelancer_payable', 'refunds_payable')
"""

POSTGRES = [
    # One trigger per INSERT of entries, in place of 0002's deferred check per entry row: a
    # posting's entries go in together, so the check runs once for the whole statement.
    "DROP TRIGGER escrow_transaction_balances ON escrow_ledgerentry;",
    "DROP FUNCTION escrow_transaction_balances();",
    """
    CREATE FUNCTION escrow_entries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        unbalanced bigint;
        line record;
    BEGIN
        -- The lines each transaction got from this statement add up to zero, so every
        -- transaction does (entries are append-only; a later statement adds lines of zero sum).
        SELECT transaction_id INTO unbalanced FROM new_entries
        GROUP BY transaction_id HAVING SUM(amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger transaction % does not balance', unbalanced;
        END IF;
        -- Level 3 of escrow's lock order: each UPDATE locks its guarded account, in primary-key
        -- order (entries that reference the rows still insert). One simple UPDATE per account
        -- measured faster here than one UPDATE joined with the transition table.
        FOR line IN
            SELECT account_id, SUM(amount_minor) AS net FROM new_entries
            GROUP BY account_id ORDER BY account_id
        LOOP
            UPDATE escrow_ledgeraccount SET balance_minor = balance_minor + line.net
            WHERE id = line.account_id AND balance_minor IS NOT NULL;
        END LOOP;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE TRIGGER escrow_entries_inserted AFTER INSERT ON escrow_ledgerentry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION escrow_entries_inserted();
    """,
    # Only the trigger above moves a balance (its UPDATE runs one trigger level down); an account
    # starts at 0. The conditions are WHEN clauses of AFTER triggers: a posting's UPDATE calls no
    # function and re-reads no row (a BEFORE trigger would fetch and lock each row again).
    """
    CREATE FUNCTION escrow_balance_from_entries_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'a ledger balance changes only through its entries';
    END $$;
    """,
    """
    CREATE TRIGGER escrow_balance_starts_at_zero AFTER INSERT ON escrow_ledgeraccount
    FOR EACH ROW WHEN (COALESCE(NEW.balance_minor, 0) <> 0)
    EXECUTE FUNCTION escrow_balance_from_entries_only();
    """,
    """
    CREATE TRIGGER escrow_balance_from_entries_only AFTER UPDATE OF balance_minor ON escrow_ledgeraccount
    FOR EACH ROW WHEN (pg_trigger_depth() < 1 AND NEW.balance_minor IS DISTINCT FROM OLD.balance_minor)
    EXECUTE FUNCTION escrow_balance_from_entries_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER escrow_balance_from_entries_only ON escrow_ledgeraccount;",
    "DROP TRIGGER escrow_balance_starts_at_zero ON escrow_ledgeraccount;",
    "DROP FUNCTION escrow_balance_from_entries_only();",
    "DROP TRIGGER escrow_entries_inserted ON escrow_ledgerentry;",
    "DROP FUNCTION escrow_entries_inserted();",
    *POSTGRES_0002_BALANCE_CHECK,
]
SQLITE = [
    """
    CREATE TRIGGER escrow_entries_inserted AFTER INSERT ON escrow_ledgerentry
    BEGIN
        UPDATE escrow_ledgeraccount SET balance_minor = balance_minor + NEW.amount_minor
        WHERE id = NEW.account_id AND balance_minor IS NOT NULL;
    END;
    """
]
SQLITE_REVERSE = ["DROP TRIGGER escrow_entries_inserted;"]


def _hold_accounts(apps, schema_editor):
    """Every account an existing hold's postings name (postings no longer make accounts)."""
    Hold = apps.get_model("escrow", "Hold")
    LedgerAccount = apps.get_model("escrow", "LedgerAccount")
    rows = []
    for hold_id, currency, payer_id, payee_id in Hold.objects.values_list("pk", "currency", "payer", "payee"):
        for kind, user_id, own_hold in (
            ("escrow_held", None, hold_id),
            ("client_funding", payer_id, None),
            ("refunds_payable", payer_id, None),
            ("freelancer_payable", payee_id, None),
            ("platform_revenue", None, None),
            ("processor_clearing", None, None),
        ):
            owner = f"hold:{own_hold}" if own_hold else f"user:{user_id}" if user_id else "platform"
            rows.append(
                LedgerAccount(
                    key=f"{kind}:{currency}:{owner}",
                    kind=kind,
                    currency=currency,
                    user_id=user_id,
                    hold_id=own_hold,
                )
            )
    LedgerAccount.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("escrow", "0002_ledger_guards")]

    operations = [
        migrations.AddField(
            model_name="ledgeraccount",
            name="balance_minor",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_hold_accounts, migrations.RunPython.noop),
        migrations.RunSQL(OPENING_BALANCES, migrations.RunSQL.noop),
        # The new rows' deferred foreign-key checks run now: a table with pending ones cannot change.
        migrations.RunPython(
            _run({"postgresql": ["SET CONSTRAINTS ALL IMMEDIATE"]}), migrations.RunPython.noop
        ),
        migrations.AddConstraint(
            model_name="ledgeraccount",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=GUARDED, balance_minor__gte=0)
                | (~models.Q(kind__in=GUARDED) & models.Q(balance_minor__isnull=True)),
                name="escrow_ledger_guarded_balance_not_negative",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
