"""Opening a dispute freezes the milestone's money at once; who may open which, for how much, and
when; withdrawing it unfreezes the money and the milestone goes on where it was."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from escrow.models import Hold
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.files import file_for_viewer
from marketplace.core.models import AuditEntry
from marketplace.disputes import events, services
from marketplace.disputes.models import Dispute
from marketplace.disputes.selectors import active_dispute_of_milestone, dispute_can_open
from marketplace.organisations.models import Role
from tests.disputes.world import funded_contract, make_support, open_dispute, usd
from tests.factories import add_member, make_contract, make_organisation, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%evidence\n"


def _refused(exc_type, code, call):
    with pytest.raises(exc_type) as refused:
        call()
    assert refused.value.code == code, refused.value
    return refused.value


def test_the_client_opens_a_dispute_and_the_money_is_frozen(django_capture_on_commit_callbacks, media_root):
    contract = funded_contract(60_000, submitted=True)
    milestone = contract.milestones.get()
    received = []
    events.dispute_opened.connect(lambda sender, dispute, **kw: received.append(dispute), weak=False)
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")

    with django_capture_on_commit_callbacks(execute=True):
        dispute = open_dispute(milestone, amount=25_000, files=[upload])

    assert (dispute.kind, dispute.status, dispute.opened_by_side) == ("milestone", "open", "client")
    assert dispute.amount_minor == 25_000
    assert dispute.currency == "USD"
    assert dispute.respond_by - timezone.now() == pytest.approx(timedelta(days=3), abs=timedelta(seconds=5))
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN
    assert active_dispute_of_milestone(milestone) == dispute
    assert received == [dispute]
    assert AuditEntry.objects.filter(action="disputes.open", target_id=str(dispute.pk)).count() == 1
    stored = dispute.evidence.get().attachments.get()
    # Both sides and support may download the evidence; nobody else.
    for viewer in (contract.client, contract.freelancer, make_support()):
        assert file_for_viewer(pk=stored.pk, viewer=viewer) == stored
    _refused(NotFound, "attachment_not_found", lambda: file_for_viewer(pk=stored.pk, viewer=make_user()))


def test_the_freelancer_opens_one_on_a_funded_milestone():
    contract = funded_contract(60_000)
    dispute = open_dispute(contract.milestones.get(), by=contract.freelancer, reason="not_approved")
    assert dispute.opened_by_side == "freelancer"


@pytest.mark.parametrize(
    ("amount", "exc", "code"),
    [(60_001, InvalidInput, "amount_exceeds_held"), (0, InvalidInput, "amount_not_positive")],
)
def test_the_amount_in_question_is_within_what_is_held(amount, exc, code):
    milestone = funded_contract(60_000).milestones.get()
    _refused(exc, code, lambda: open_dispute(milestone, amount=amount))
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED


def test_an_amount_in_another_currency_is_refused():
    milestone = funded_contract(60_000).milestones.get()
    with pytest.raises(InvalidInput) as refused:
        services.dispute_open(
            acting_user=milestone.contract.client,
            milestone=milestone,
            reason="quality",
            description="Not what we agreed on.",
            amount=usd(100).__class__(100, "EUR"),
        )
    assert refused.value.code == "currency_mismatch"


def test_who_may_open():
    organisation = make_organisation()
    contract = funded_contract(60_000, organisation=organisation, client=organisation.memberships.get().user)
    milestone = contract.milestones.get()
    _refused(NotFound, "milestone_not_found", lambda: open_dispute(milestone, by=make_user()))
    _refused(NotFound, "milestone_not_found", lambda: open_dispute(milestone, by=make_support()))
    viewer = add_member(organisation, Role.VIEWER)
    _refused(PermissionDenied, "role_forbids", lambda: open_dispute(milestone, by=viewer))
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    _refused(PermissionDenied, "role_forbids", lambda: open_dispute(milestone, by=hiring))
    finance = add_member(organisation, Role.FINANCE)
    assert open_dispute(milestone, by=finance).opened_by_side == "client"


def test_one_active_dispute_per_hold_and_only_on_money_held():
    contract = funded_contract(60_000)
    milestone = contract.milestones.get()
    open_dispute(milestone)
    _refused(Conflict, "dispute_open_already", lambda: open_dispute(milestone, by=contract.freelancer))
    unfunded = make_contract(milestones=(10_000,)).milestones.get()
    _refused(Conflict, "milestone_not_disputable", lambda: open_dispute(unfunded))
    allowed, why = dispute_can_open(contract.client, milestone)
    assert not allowed
    assert "open already" in why


def test_approved_work_cannot_be_disputed():
    contract = funded_contract(60_000, submitted=True)
    milestone = contract.milestones.get()
    contracts.milestone_approve(acting_user=contract.client, milestone=milestone)
    _refused(Conflict, "milestone_not_disputable", lambda: open_dispute(milestone))


def _cancelled(contract):
    contracts.contract_cancel(
        acting_user=contract.client,
        contract=contract,
        reason="Not needed any more.",
        cancel_reason="plans_changed",
    )
    return contract.milestones.get()


def test_the_freelancer_disputes_a_cancellation_refund_within_the_window():
    contract = funded_contract(60_000)
    milestone = _cancelled(contract)
    assert dispute_can_open(contract.freelancer, milestone) == (True, "")
    _refused(PermissionDenied, "wrong_side", lambda: open_dispute(milestone, reason="cancellation"))
    dispute = open_dispute(milestone, by=contract.freelancer, reason="cancellation")
    assert dispute.kind == Dispute.Kind.CANCELLATION
    # The refund sweep leaves the frozen money alone once the window has passed.
    done = contracts.milestones_due(now=timezone.now() + timedelta(days=10))
    assert done == {"approved": 0, "refunded": 0}
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDED


def test_after_the_window_the_cancellation_refund_cannot_be_disputed():
    contract = funded_contract(60_000)
    milestone = _cancelled(contract)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        _refused(Conflict, "dispute_window_closed", lambda: open_dispute(milestone, by=contract.freelancer))


def test_a_completed_contract_is_not_disputed():
    contract = make_contract(milestones=(10_000,))
    contracts.contract_complete(acting_user=contract.client, contract=contract)
    _refused(Conflict, "milestone_not_disputable", lambda: open_dispute(contract.milestones.get()))


def test_withdrawing_unfreezes_and_the_milestone_goes_on():
    contract = funded_contract(60_000, submitted=True)
    milestone = contract.milestones.get()
    dispute = open_dispute(milestone)
    _refused(
        PermissionDenied,
        "not_the_opener",
        lambda: services.dispute_withdraw(
            acting_user=contract.freelancer, dispute=dispute, reason="Changed my mind."
        ),
    )
    _refused(
        NotFound,
        "dispute_not_found",
        lambda: services.dispute_withdraw(
            acting_user=make_user(), dispute=dispute, reason="Changed my mind."
        ),
    )
    _refused(
        InvalidInput,
        "reason_required",
        lambda: services.dispute_withdraw(acting_user=contract.client, dispute=dispute, reason=""),
    )
    services.dispute_withdraw(acting_user=contract.client, dispute=dispute, reason="We talked it over.")
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.WITHDRAWN
    assert dispute.resolved_by == contract.client
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED
    _refused(
        Conflict,
        "dispute_not_active",
        lambda: services.dispute_withdraw(
            acting_user=contract.client, dispute=dispute, reason="Again, twice."
        ),
    )
    # The milestone is where it was: the client can approve it now.
    contracts.milestone_approve(acting_user=contract.client, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.APPROVED


def test_a_withdrawn_cancellation_dispute_lets_the_refund_follow_at_its_time():
    contract = funded_contract(60_000)
    milestone = _cancelled(contract)
    dispute = open_dispute(milestone, by=contract.freelancer, reason="cancellation")
    services.dispute_withdraw(acting_user=contract.freelancer, dispute=dispute, reason="Fair enough.")
    assert contracts.milestones_due(now=timezone.now() + timedelta(days=1)) == {"approved": 0, "refunded": 0}
    assert contracts.milestones_due(now=timezone.now() + timedelta(days=4)) == {"approved": 0, "refunded": 1}
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.REFUNDED
