"""The parties settle between themselves: a proposed split of all that is held, accepted (the money
moves, the dispute is settled), declined or withdrawn; a new offer lapses the one before."""

import pytest

from escrow.models import Hold, Refund, Settlement, Transfer
from escrow.selectors import ledger_balances_off
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.models import AuditEntry
from marketplace.disputes import services
from marketplace.disputes.models import Dispute, SettlementOffer
from marketplace.disputes.selectors import dispute_money
from tests.disputes.world import funded_contract, open_dispute, usd

pytestmark = pytest.mark.django_db
Offer = SettlementOffer.Status


def _refused(exc_type, code, call):
    with pytest.raises(exc_type) as refused:
        call()
    assert refused.value.code == code, refused.value


@pytest.fixture
def dispute():
    contract = funded_contract(60_000, submitted=True)
    return open_dispute(contract.milestones.get(), amount=30_000)


def _propose(dispute, by, release, refund, **kw):
    return services.offer_propose(
        acting_user=by, dispute=dispute, release=usd(release), refund=usd(refund), **kw
    )


def test_an_accepted_split_settles_the_dispute_and_moves_the_money(dispute):
    contract = dispute.contract
    offer = _propose(dispute, contract.freelancer, 36_000, 24_000, message="60/40?")
    _refused(
        PermissionDenied,
        "wrong_side",
        lambda: services.offer_accept(acting_user=contract.freelancer, offer=offer),
    )

    settled = services.offer_accept(acting_user=contract.client, offer=offer)

    assert settled.status == Dispute.Status.SETTLED
    assert (settled.outcome, settled.released_minor, settled.refunded_minor) == ("split", 36_000, 24_000)
    assert settled.resolved_by == contract.client
    assert settled.resolution_note == "60/40?"
    offer.refresh_from_db()
    assert (offer.status, offer.answered_by) == (Offer.ACCEPTED, contract.client)
    hold = Hold.objects.get(pk=dispute.hold_id)
    assert hold.status == Hold.Status.SETTLED
    milestone = Milestone.objects.get(pk=dispute.milestone_id)
    assert milestone.status == Milestone.Status.SPLIT
    assert milestone.auto_approve_at is None
    assert Transfer.objects.get(settlement__hold=hold).amount_minor == 32_400  # less the 10 % fee share
    assert Refund.objects.get(settlement__hold=hold).amount_minor == 25_200  # with its 5 % client fee share
    money = dispute_money(settled)
    assert money["held"] == usd(0)
    assert money["in_question"] == usd(30_000)
    assert (money["released"], money["refunded"]) == (usd(36_000), usd(24_000))
    assert (money["freelancer_receives"], money["client_receives"]) == (usd(32_400), usd(25_200))
    assert [posted.kind for posted in money["ledger"]] == ["fund", "release", "refund"]
    assert ledger_balances_off() == []
    assert AuditEntry.objects.filter(action="disputes.offer_accept", target_id=str(dispute.pk)).exists()
    _refused(
        Conflict,
        "dispute_not_active",
        lambda: services.offer_accept(acting_user=contract.client, offer=offer),
    )


@pytest.mark.parametrize(
    ("release", "refund", "status", "outcome"),
    [
        (60_000, 0, Milestone.Status.APPROVED, "release_all"),
        (0, 60_000, Milestone.Status.REFUNDED, "refund_all"),
    ],
)
def test_an_offer_may_give_all_to_one_side(dispute, release, refund, status, outcome):
    offer = _propose(dispute, dispute.contract.client, release, refund)
    settled = services.offer_accept(acting_user=dispute.contract.freelancer, offer=offer)
    assert settled.outcome == outcome
    assert Milestone.objects.get(pk=dispute.milestone_id).status == status
    assert Settlement.objects.filter(hold_id=dispute.hold_id).count() == 1


@pytest.mark.parametrize(("release", "refund"), [(30_000, 20_000), (60_000, 1), (-1, 60_001)])
def test_an_offer_must_divide_all_that_is_held(dispute, release, refund):
    code = "amount_negative" if release < 0 else "offer_does_not_add_up"
    with pytest.raises(InvalidInput) as refused:
        services.offer_propose(
            acting_user=dispute.contract.client,
            dispute=dispute,
            release=usd(release) if release >= 0 else usd(0) - usd(1),
            refund=usd(refund),
        )
    assert refused.value.code == code


def test_a_new_offer_lapses_the_open_one_and_the_proposer_may_withdraw(dispute):
    contract = dispute.contract
    first = _propose(dispute, contract.client, 10_000, 50_000)
    second = _propose(dispute, contract.freelancer, 40_000, 20_000)
    first.refresh_from_db()
    assert (first.status, second.status) == (Offer.LAPSED, Offer.OPEN)
    _refused(
        Conflict,
        "offer_not_open",
        lambda: services.offer_accept(acting_user=contract.freelancer, offer=first),
    )
    _refused(
        PermissionDenied,
        "wrong_side",
        lambda: services.offer_withdraw(acting_user=contract.client, offer=second),
    )
    services.offer_withdraw(acting_user=contract.freelancer, offer=second)
    second.refresh_from_db()
    assert second.status == Offer.WITHDRAWN
    _refused(
        Conflict,
        "offer_not_open",
        lambda: services.offer_withdraw(acting_user=contract.freelancer, offer=second),
    )
    assert Hold.objects.get(pk=dispute.hold_id).status == Hold.Status.FROZEN


def test_a_declined_offer_changes_nothing(dispute):
    contract = dispute.contract
    offer = _propose(dispute, contract.client, 10_000, 50_000)
    _refused(
        PermissionDenied,
        "wrong_side",
        lambda: services.offer_decline(acting_user=contract.client, offer=offer),
    )
    services.offer_decline(acting_user=contract.freelancer, offer=offer)
    offer.refresh_from_db()
    assert (offer.status, offer.answered_by) == (Offer.DECLINED, contract.freelancer)
    dispute.refresh_from_db()
    assert dispute.is_active
    assert Hold.objects.get(pk=dispute.hold_id).status == Hold.Status.FROZEN
    assert not Settlement.objects.filter(hold_id=dispute.hold_id).exists()


def test_an_open_offer_lapses_when_the_dispute_ends(dispute):
    offer = _propose(dispute, dispute.contract.freelancer, 40_000, 20_000)
    services.dispute_withdraw(acting_user=dispute.contract.client, dispute=dispute, reason="Let it go.")
    offer.refresh_from_db()
    assert offer.status == Offer.LAPSED
