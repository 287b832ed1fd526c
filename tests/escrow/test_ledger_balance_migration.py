"""An existing ledger migrates to stored balances with nothing lost: every hold gets the accounts its
postings name, each guarded account's stored balance starts at the sum of its entries, and postings
go on from there.

The test rolls the real test database back to ``escrow 0002`` (PostgreSQL), writes a hold and a
funding there with the historical models, and migrates forward again.
"""

import pytest
from django.db import transaction

from escrow.models import Hold, LedgerAccount, Transfer
from escrow.selectors import ledger_balances_off
from escrow.services.holds import hold_release
from escrow.services.payouts import transfer_record
from tests.support.migrations import back_to_latest, latest, migrate_to  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("back_to_latest")]

BEFORE = [("escrow", "0002_ledger_guards")]


def test_an_existing_ledger_gets_its_accounts_and_opening_balances():
    old = migrate_to(BEFORE)
    User, Hold0 = old.get_model("accounts", "User"), old.get_model("escrow", "Hold")
    Account0, Posting0 = (
        old.get_model("escrow", "LedgerAccount"),
        old.get_model("escrow", "LedgerTransaction"),
    )
    Entry0 = old.get_model("escrow", "LedgerEntry")
    payer = User.objects.create(email="payer@migration.invalid", full_name="Payer", is_client=True)
    payee = User.objects.create(email="payee@migration.invalid", full_name="Payee", is_freelancer=True)
    terms = {"currency": "USD", "client_fee_bp": 500, "freelancer_fee_bp": 1000, "transfer_group": "g"}
    funded = Hold0.objects.create(
        payer=payer,
        payee=payee,
        amount_minor=1_000,
        client_fee_minor=50,
        freelancer_fee_minor=100,
        reference="m:1",
        status="funded",
        **terms,
    )
    pending = Hold0.objects.create(
        payer=payer,
        payee=payee,
        amount_minor=2_000,
        client_fee_minor=100,
        freelancer_fee_minor=200,
        reference="m:2",
        **terms,
    )
    funding = Account0.objects.create(
        key=f"client_funding:USD:user:{payer.pk}", kind="client_funding", currency="USD", user=payer
    )
    held = Account0.objects.create(
        key=f"escrow_held:USD:hold:{funded.pk}", kind="escrow_held", currency="USD", hold=funded
    )
    with transaction.atomic():
        posting = Posting0.objects.create(kind="fund", currency="USD", hold=funded)
        Entry0.objects.create(transaction=posting, account=funding, amount_minor=-1_050)
        Entry0.objects.create(transaction=posting, account=held, amount_minor=1_050)

    migrate_to(latest())

    balances = dict(LedgerAccount.objects.values_list("key", "balance_minor"))
    assert balances == {
        f"client_funding:USD:user:{payer.pk}": None,
        f"escrow_held:USD:hold:{funded.pk}": 1_050,
        f"escrow_held:USD:hold:{pending.pk}": 0,
        f"refunds_payable:USD:user:{payer.pk}": 0,
        f"freelancer_payable:USD:user:{payee.pk}": 0,
        "platform_revenue:USD:platform": None,
        "processor_clearing:USD:platform": None,
    }
    assert ledger_balances_off() == []
    # Postings go on from the opening balances.
    settlement = hold_release(hold=Hold.objects.get(pk=funded.pk))
    transfer_record(transfer_id=Transfer.objects.get(settlement=settlement).pk, processor_id="tr_migrated")
    assert LedgerAccount.objects.get(key=f"escrow_held:USD:hold:{funded.pk}").balance_minor == 0
    assert ledger_balances_off() == []
