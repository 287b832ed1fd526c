"""The database's own guards under the ledger (PostgreSQL): entries and transactions are append-only,
a transaction whose entries do not add up to zero cannot commit, and a guarded account's stored
balance follows its entries and never goes below zero, whatever code writes them."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from escrow.models import LedgerAccount, LedgerEntry, LedgerTransaction, ReconciliationFinding
from escrow.selectors import ledger_balances_off
from escrow.services.ledger import account_balance, ledger_account, ledger_post
from escrow.tasks import ledger_reconcile
from tests.factories import make_client

Kind = LedgerAccount.Kind


def _accounts():
    user = make_client()
    return (
        ledger_account(Kind.CLIENT_FUNDING, "USD", user_id=user.pk),
        ledger_account(Kind.PLATFORM_REVENUE, "USD"),
    )


@pytest.mark.django_db(transaction=True)
def test_a_balanced_posting_commits_and_its_rows_cannot_be_changed_or_deleted():
    funding, revenue = _accounts()
    with transaction.atomic():
        posted = LedgerTransaction.objects.get(
            pk=ledger_post(kind="fund", currency="USD", lines=[(funding, -500), (revenue, 500)])
        )
    entry = posted.entries.first()
    for change in (
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount_minor=499),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
        lambda: LedgerTransaction.objects.filter(pk=posted.pk).update(memo="changed"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert sorted(posted.entries.values_list("amount_minor", flat=True)) == [-500, 500]


@pytest.mark.django_db(transaction=True)
def test_an_unbalanced_transaction_written_around_the_service_cannot_commit():
    funding, _revenue = _accounts()

    def write_one_sided():
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(kind="fund", currency="USD")
            LedgerEntry.objects.create(transaction=posted, account=funding, amount_minor=-500)

    with pytest.raises(DatabaseError, match="does not balance"):
        write_one_sided()
    assert not LedgerEntry.objects.exists()
    assert not LedgerTransaction.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_unbalanced_mixed_or_lonely_lines():
    funding, revenue = _accounts()
    euros = ledger_account(Kind.PLATFORM_REVENUE, "EUR")
    with transaction.atomic():
        for lines in ([(funding, -500), (revenue, 499)], [(funding, -500)], [(funding, -5), (euros, 5)]):
            with pytest.raises(ValueError, match=r"unbalanced|currency"):
                ledger_post(kind="fund", currency="USD", lines=lines)
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_an_entry_of_zero_is_refused_by_the_database():
    funding, _revenue = _accounts()
    posted = LedgerTransaction.objects.create(kind="fund", currency="USD")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.create(transaction=posted, account=funding, amount_minor=0)


# --- stored balances of guarded accounts -------------------------------------------------------------


def _payable_with(amount: int):
    """A payee's payable account holding ``amount``, posted through the service."""
    user = make_client()
    funding = ledger_account(Kind.CLIENT_FUNDING, "USD", user_id=user.pk)
    payable = ledger_account(Kind.FREELANCER_PAYABLE, "USD", user_id=make_client().pk)
    with transaction.atomic():
        ledger_post(kind="release", currency="USD", lines=[(funding, -amount), (payable, amount)])
    return funding, payable


@pytest.mark.django_db
def test_a_stored_balance_moves_only_through_entries():
    funding, payable = _payable_with(700)
    payable.refresh_from_db()
    assert payable.balance_minor == 700
    funding.refresh_from_db()
    assert funding.balance_minor is None  # not guarded: no stored balance
    with pytest.raises(DatabaseError, match="only through its entries"), transaction.atomic():
        LedgerAccount.objects.filter(pk=payable.pk).update(balance_minor=10_000)
    with pytest.raises(DatabaseError, match="only through its entries"), transaction.atomic():
        LedgerAccount.objects.create(
            key="freelancer_payable:USD:user:999999",
            kind=Kind.FREELANCER_PAYABLE,
            currency="USD",
            user_id=payable.user_id,
            balance_minor=5,
        )
    payable.refresh_from_db()
    assert payable.balance_minor == 700


@pytest.mark.django_db
def test_the_database_refuses_to_overdraw_a_guarded_account_written_around_the_service():
    """No balance check in Python here: the CHECK on the stored balance refuses the entries."""
    funding, payable = _payable_with(700)

    def overdraw():
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(kind="transfer_out", currency="USD")
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(transaction=posted, account=payable, amount_minor=-701),
                    LedgerEntry(transaction=posted, account=funding, amount_minor=701),
                ]
            )

    with pytest.raises(IntegrityError, match="escrow_ledger_guarded_balance_not_negative"):
        overdraw()
    payable.refresh_from_db()
    assert payable.balance_minor == 700 == account_balance(payable)


@pytest.mark.django_db
def test_a_posting_costs_the_same_statements_whatever_the_account_history():
    """One statement (the transaction and its entries), for an account with one entry and one
    with fifty."""
    counts = []
    for history in (1, 50):
        funding, payable = _payable_with(1)
        for _ in range(history - 1):
            with transaction.atomic():
                ledger_post(kind="release", currency="USD", lines=[(funding, -1), (payable, 1)])
        clearing = ledger_account(Kind.PROCESSOR_CLEARING, "USD")
        with transaction.atomic(), CaptureQueriesContext(connection) as statements:
            ledger_post(kind="transfer_out", currency="USD", lines=[(payable, -history), (clearing, history)])
        counts.append(len(statements))
        payable.refresh_from_db()
        assert payable.balance_minor == 0 == account_balance(payable)
    assert counts == [1, 1]  # the transaction and its entries in one statement


@pytest.mark.django_db
def test_the_reconciliation_finds_a_stored_balance_that_is_off(caplog, stripe_fake):
    """Positive control: the guard trigger switched off inside this test's transaction, a balance is
    changed behind the ledger's back; the reconciliation names it and the nightly task logs it and
    reports it (tests/escrow/test_reconciliation.py has the rest of the report)."""
    _funding, payable = _payable_with(700)
    assert ledger_balances_off() == []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending: the table can change
        cursor.execute("ALTER TABLE escrow_ledgeraccount DISABLE TRIGGER escrow_balance_from_entries_only")
        cursor.execute("UPDATE escrow_ledgeraccount SET balance_minor = 650 WHERE id = %s", [payable.pk])
    assert ledger_balances_off() == [(payable.key, 650, 700)]
    assert ledger_reconcile() == 1
    assert f"{payable.key} stores 650 but its entries add up to 700" in caplog.text
    finding = ReconciliationFinding.objects.get()
    assert (finding.kind, finding.ledger_ref) == ("stored_balance_off", f"ledger account {payable.key}")
