"""Two processors of one chargeback at the same moment (the webhook's task and the retry sweep, or two
events of one dispute): threads meet at a barrier, each on its own PostgreSQL connection, several
rounds. ``chargeback_record`` locks the charge's hold before it reads our record of the dispute, so the
second waits and finds it closed: one freeze, one posting of each kind, one staff case, no error.
Without that lock both see no record, and the second fails on a unique constraint (the posting, the
record or the case) after doing half its work."""

import dataclasses
from functools import partial

from django.db.models import Sum

from escrow import gateway
from escrow.models import ChargeDispute, Hold, LedgerEntry, LedgerTransaction
from escrow.selectors import ledger_balances_off
from escrow.services.chargebacks import chargeback_record
from marketplace.disputes.models import Dispute
from tests.escrow.builders import fund, milestone_hold
from tests.factories import make_contract
from tests.support.concurrently import at_once

ROUNDS = 5
Posting = LedgerTransaction.Kind


def test_two_processors_of_one_lost_chargeback_record_it_once(transactional_db):
    for round_ in range(ROUNDS):
        contract = make_contract(milestones=[("Only", 60_000)])
        hold = milestone_hold(contract.milestones.get())
        charge = fund(hold)
        lost = gateway.Dispute(
            id=f"dp_race_{round_}",
            charge_id=charge.charge_id,
            payment_intent_id=charge.payment_intent_id,
            amount_minor=charge.amount_minor,
            currency="USD",
            reason="fraudulent",
            status="lost",
            withdrawn_minor=charge.amount_minor,
            fee_minor=1500,
        )
        opened = dataclasses.replace(lost, status="needs_response")
        chargeback_record(dispute=opened)

        record = partial(chargeback_record, dispute=lost)
        outcomes = at_once(record, record)

        assert not [o for o in outcomes if isinstance(o, Exception)], (round_, outcomes)
        postings = LedgerTransaction.objects.filter(external_id=lost.id)
        assert sorted(postings.values_list("kind", flat=True)) == ["chargeback", "chargeback_lost"], round_
        assert ChargeDispute.objects.get(dispute_id=lost.id).outcome == "lost"
        assert Hold.objects.get(pk=hold.pk).status == Hold.Status.SETTLED
        assert Dispute.objects.filter(hold=hold).count() == 1
    assert ledger_balances_off() == []
    assert (LedgerEntry.objects.aggregate(total=Sum("amount_minor"))["total"] or 0) == 0
