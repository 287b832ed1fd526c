"""Database guards under the ledger: entries are append-only, and (PostgreSQL) every transaction's
entries add up to zero when the database transaction commits."""

from django.db import migrations

POSTGRES = [
    """
    CREATE FUNCTION escrow_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP;
    END $$;
    """,
    """
    CREATE TRIGGER escrow_entry_append_only BEFORE UPDATE OR DELETE ON escrow_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION escrow_entry_append_only();
    """,
    """
    CREATE TRIGGER escrow_transaction_append_only BEFORE UPDATE OR DELETE ON escrow_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION escrow_entry_append_only();
    """,
    """
    CREATE FUNCTION escrow_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE total bigint;
    BEGIN
        SELECT COALESCE(SUM(amount_minor), 0) INTO total
        FROM escrow_ledgerentry WHERE transaction_id = NEW.transaction_id;
        IF total <> 0 THEN
            RAISE EXCEPTION 'ledger transaction % does not balance (%)', NEW.transaction_id, total;
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE CONSTRAINT TRIGGER escrow_transaction_balances AFTER INSERT ON escrow_ledgerentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION escrow_transaction_balances();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER escrow_transaction_balances ON escrow_ledgerentry;",
    "DROP FUNCTION escrow_transaction_balances();",
    "DROP TRIGGER escrow_transaction_append_only ON escrow_ledgertransaction;",
    "DROP TRIGGER escrow_entry_append_only ON escrow_ledgerentry;",
    "DROP FUNCTION escrow_entry_append_only();",
]
SQLITE = [
    f"""
    CREATE TRIGGER escrow_{table}_no_{op.lower()} BEFORE {op} ON escrow_{table}
    BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;
    """
    for table in ("ledgerentry", "ledgertransaction")
    for op in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER escrow_{table}_no_{op.lower()};"
    for table in ("ledgerentry", "ledgertransaction")
    for op in ("UPDATE", "DELETE")
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("escrow", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
