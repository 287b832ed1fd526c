"""Support staff: assigning, internal notes, and the decision — release all, refund all, or split
by amount — audited with the decider and the reason; the queue ordered by deadline."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from escrow.models import Hold, Refund, Settlement, Transfer
from escrow.selectors import ledger_balances_off
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.models import AuditEntry
from marketplace.disputes import services
from marketplace.disputes.models import Dispute
from marketplace.disputes.selectors import dispute_for, dispute_side, disputes_of, support_queue
from tests.disputes.world import escalated, funded_contract, make_support, open_dispute, usd
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Outcome = Dispute.Outcome


def _refused(exc_type, code, call):
    with pytest.raises(exc_type) as refused:
        call()
    assert refused.value.code == code, refused.value


@pytest.fixture
def support():
    return make_support(full_name="Sam Support")


@pytest.fixture
def dispute():
    contract = funded_contract(60_000, submitted=True)
    return escalated(open_dispute(contract.milestones.get()))


def _decide(dispute, by, outcome, release=None, refund=None, reason="Per the evidence given."):
    return services.dispute_decide(
        acting_user=by,
        dispute=dispute,
        outcome=outcome,
        release=None if release is None else usd(release),
        refund=None if refund is None else usd(refund),
        reason=reason,
    )


def test_only_support_assigns_to_support(dispute, support):
    _refused(
        PermissionDenied,
        "not_support",
        lambda: services.dispute_assign(
            acting_user=dispute.contract.client, dispute=dispute, assignee=support
        ),
    )
    _refused(
        InvalidInput,
        "assignee_not_support",
        lambda: services.dispute_assign(acting_user=support, dispute=dispute, assignee=make_user(staff=True)),
    )
    services.dispute_assign(acting_user=support, dispute=dispute, assignee=support)
    dispute.refresh_from_db()
    assert dispute.assigned_to == support
    assert list(support_queue(assigned_to=support)) == [dispute]


def test_notes_are_support_only(dispute, support):
    _refused(
        PermissionDenied,
        "not_support",
        lambda: services.staff_note_add(acting_user=dispute.contract.freelancer, dispute=dispute, body="Hi"),
    )
    _refused(
        PermissionDenied,
        "not_support",
        lambda: services.staff_note_add(acting_user=make_user(staff=True), dispute=dispute, body="Hi"),
    )
    note = services.staff_note_add(acting_user=support, dispute=dispute, body="Asked for the repo link.")
    assert list(dispute.staff_notes.all()) == [note]


def test_a_split_decision_moves_the_money_and_is_audited(dispute, support):
    decided = _decide(
        dispute, support, Outcome.SPLIT, 36_000, 24_000, reason="Two of five pages were missing."
    )
    assert decided.status == Dispute.Status.DECIDED
    assert (decided.outcome, decided.released_minor, decided.refunded_minor) == ("split", 36_000, 24_000)
    assert (decided.resolved_by, decided.resolution_note) == (support, "Two of five pages were missing.")
    assert decided.resolved_at is not None
    hold = Hold.objects.get(pk=dispute.hold_id)
    assert hold.status == Hold.Status.SETTLED
    assert Milestone.objects.get(pk=dispute.milestone_id).status == Milestone.Status.SPLIT
    assert Transfer.objects.get(settlement__hold=hold).amount_minor == 32_400
    assert Refund.objects.get(settlement__hold=hold).amount_minor == 25_200
    assert set(Settlement.objects.filter(hold=hold).values_list("created_by", flat=True)) == {support.pk}
    entry = AuditEntry.objects.get(action="disputes.decide", target_id=str(dispute.pk))
    assert entry.actor == support
    assert entry.data["reason"] == "Two of five pages were missing."
    assert ledger_balances_off() == []
    _refused(Conflict, "dispute_not_active", lambda: _decide(dispute, support, Outcome.REFUND_ALL))


@pytest.mark.parametrize(
    ("outcome", "status", "kinds"),
    [
        (Outcome.RELEASE_ALL, Milestone.Status.APPROVED, ["release"]),
        (Outcome.REFUND_ALL, Milestone.Status.REFUNDED, ["refund"]),
    ],
)
def test_all_to_one_side(dispute, support, outcome, status, kinds):
    _decide(dispute, support, outcome)
    assert Milestone.objects.get(pk=dispute.milestone_id).status == status
    assert list(Settlement.objects.filter(hold_id=dispute.hold_id).values_list("kind", flat=True)) == kinds
    assert Settlement.objects.get(hold_id=dispute.hold_id).principal_minor == 60_000


@pytest.mark.parametrize(
    ("release", "refund", "code"),
    [
        (30_000, 20_000, "split_does_not_add_up"),
        (60_000, 0, "amount_not_positive"),
        (None, 60_000, "amount_not_money"),
    ],
)
def test_a_split_divides_all_that_is_held_in_two_real_parts(dispute, support, release, refund, code):
    _refused(InvalidInput, code, lambda: _decide(dispute, support, Outcome.SPLIT, release, refund))
    assert Hold.objects.get(pk=dispute.hold_id).status == Hold.Status.FROZEN


def test_who_may_decide_and_when(support):
    contract = funded_contract(60_000, submitted=True)
    dispute = open_dispute(contract.milestones.get())
    _refused(PermissionDenied, "not_support", lambda: _decide(dispute, contract.client, Outcome.REFUND_ALL))
    _refused(
        PermissionDenied, "not_support", lambda: _decide(dispute, make_user(staff=True), Outcome.REFUND_ALL)
    )
    _refused(
        PermissionDenied,
        "not_support",
        lambda: _decide(dispute, make_support(suspended_at=timezone.now()), Outcome.REFUND_ALL),
    )
    _refused(InvalidInput, "outcome_invalid", lambda: _decide(dispute, support, "coin_toss"))
    _refused(
        InvalidInput, "reason_required", lambda: _decide(dispute, support, Outcome.REFUND_ALL, reason="")
    )
    _refused(Conflict, "dispute_not_escalated", lambda: _decide(dispute, support, Outcome.REFUND_ALL))


def test_who_sees_a_dispute(dispute, support):
    contract = dispute.contract
    assert dispute_for(support, dispute.pk) == dispute
    assert dispute_for(contract.freelancer, dispute.pk) == dispute
    assert list(disputes_of(contract.client)) == [dispute]
    assert list(disputes_of(support)) == []
    _refused(NotFound, "dispute_not_found", lambda: dispute_for(make_user(), dispute.pk))
    _refused(NotFound, "dispute_not_found", lambda: dispute_for(make_user(staff=True), dispute.pk))
    assert (dispute_side(contract.client, dispute), dispute_side(contract.freelancer, dispute)) == (
        "client",
        "freelancer",
    )
    assert dispute_side(support, dispute) is None


def test_the_queue_is_ordered_by_deadline(support, django_assert_num_queries):
    contract = funded_contract(10_000, 20_000, 30_000, submitted=True)
    first, second, third = contract.milestones.order_by("position")
    older = open_dispute(first)  # respond_by in 3 days
    with time_machine.travel(timedelta(days=1), tick=True):
        newest = open_dispute(second)  # respond_by in 4 days
    urgent = escalated(open_dispute(third))  # decide_by in 1 business day
    assert list(support_queue()) == [urgent, older, newest]
    assert list(support_queue(status=Dispute.Status.ESCALATED)) == [urgent]
    assert list(support_queue(kind=Dispute.Kind.CANCELLATION)) == []
    with django_assert_num_queries(1):
        cases = list(support_queue())
        assert [c.contract.title and c.milestone.title and c.hold.reference for c in cases]
