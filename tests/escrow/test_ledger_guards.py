"""The database's own guards under the ledger (PostgreSQL): entries and transactions are append-only,
and a transaction whose entries do not add up to zero cannot commit, whatever code writes it."""

import pytest
from django.db import DatabaseError, transaction

from escrow.models import LedgerAccount, LedgerEntry, LedgerTransaction
from escrow.services.ledger import ledger_account, ledger_post
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
        posted = ledger_post(kind="fund", currency="USD", lines=[(funding, -500), (revenue, 500)])
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
