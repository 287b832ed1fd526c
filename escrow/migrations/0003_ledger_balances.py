"""Guarded ledger accounts keep their balance, maintained by the database from the entries.

Every existing hold gets the accounts its postings name (a posting no longer makes them).
The balance starts as the sum of the account's entries; from then on a trigger adds each insert's
lines to it (on PostgreSQL once per INSERT statement, through the statement's transition table,
locking the accounts in primary-key order first), and on PostgreSQL a second trigger refuses any
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
        -- Arrays, not joins with the transition table: the planner cannot count its rows and
        -- would scan the whole entries or accounts table; "= ANY(array)" uses their indexes.
        postings bigint[] := ARRAY(SELECT DISTINCT transaction_id FROM new_entries);
        accounts bigint[] := ARRAY(SELECT DISTINCT account_id FROM new_entries ORDER BY 1);
    BEGIN
        -- Every transaction the statement wrote to adds up to zero.
        SELECT entry.transaction_id INTO unbalanced FROM escrow_ledgerentry AS entry
        WHERE entry.transaction_id = ANY(postings)
        GROUP BY entry.transaction_id HAVING SUM(entry.amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger transaction % does not balance', unbalanced;
        END IF;
        -- Level 3 of escrow's lock order: the guarded accounts, in primary-key order, with the
        -- lock the UPDATE below takes (entries that reference the rows still insert).
        PERFORM 1 FROM escrow_ledgeraccount
        WHERE id = ANY(accounts) AND balance_minor IS NOT NULL
        ORDER BY id FOR NO KEY UPDATE;
        UPDATE escrow_ledgeraccount AS account SET balance_minor = account.balance_minor + lines.net
        FROM (SELECT account_id, SUM(amount_minor) AS net FROM new_entries GROUP BY account_id) AS lines
        WHERE account.id = ANY(accounts) AND account.id = lines.account_id
          AND account.balance_minor IS NOT NULL;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE TRIGGER escrow_entries_inserted AFTER INSERT ON escrow_ledgerentry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION escrow_entries_inserted();
    """,
    # Only the trigger above moves a balance (it runs one trigger level down); an account starts at 0.
    """
    CREATE FUNCTION escrow_balance_from_entries_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' AND COALESCE(NEW.balance_minor, 0) <> 0
           OR TG_OP = 'UPDATE' AND NEW.balance_minor IS DISTINCT FROM OLD.balance_minor
              AND pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'a ledger balance changes only through its entries';
        END IF;
        RETURN NEW;
    END $$;
    """,
    """
    CREATE TRIGGER escrow_balance_from_entries_only BEFORE INSERT OR UPDATE ON escrow_ledgeraccount
    FOR EACH ROW EXECUTE FUNCTION escrow_balance_from_entries_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER escrow_balance_from_entries_only ON escrow_ledgeraccount;",
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
