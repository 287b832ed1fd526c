"""Between opening and the end: the response, evidence, asking support, and the escalation when the
response deadline passes (the task, at a moment chosen with time_machine); business days."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.disputes import events, services
from marketplace.disputes.deadlines import add_business_days
from marketplace.disputes.models import Dispute
from marketplace.disputes.tasks import disputes_escalate_due_task
from tests.disputes.world import funded_contract, make_support, open_dispute
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _refused(exc_type, code, call):
    with pytest.raises(exc_type) as refused:
        call()
    assert refused.value.code == code, refused.value


@pytest.fixture
def dispute():
    contract = funded_contract(60_000, submitted=True)
    return open_dispute(contract.milestones.get())


def test_the_respondent_answers_once_with_files(dispute, media_root, django_capture_on_commit_callbacks):
    contract = dispute.contract
    steps = []
    events.dispute_step.connect(lambda sender, step, actor, **kw: steps.append((step, actor)), weak=False)
    _refused(
        PermissionDenied,
        "wrong_side",
        lambda: services.dispute_respond(
            acting_user=contract.client, dispute=dispute, response="I opened it."
        ),
    )
    _refused(
        NotFound,
        "dispute_not_found",
        lambda: services.dispute_respond(acting_user=make_user(), dispute=dispute, response="Who am I?"),
    )
    _refused(
        InvalidInput,
        "response_required",
        lambda: services.dispute_respond(acting_user=contract.freelancer, dispute=dispute, response=""),
    )
    upload = SimpleUploadedFile("proof.pdf", b"%PDF-1.4\nproof\n")
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_respond(
            acting_user=contract.freelancer, dispute=dispute, response="It does all of it.", files=[upload]
        )
    dispute.refresh_from_db()
    assert dispute.response == "It does all of it."
    assert dispute.responded_at is not None
    assert dispute.evidence.get().side == "freelancer"
    assert steps == [("responded", contract.freelancer)]
    _refused(
        Conflict,
        "already_responded",
        lambda: services.dispute_respond(
            acting_user=contract.freelancer, dispute=dispute, response="And again."
        ),
    )


def test_either_side_adds_evidence_while_active(dispute):
    contract = dispute.contract
    services.evidence_add(acting_user=contract.client, dispute=dispute, statement="Screenshot of the bug.")
    services.evidence_add(acting_user=contract.freelancer, dispute=dispute, statement="It works here.")
    assert list(dispute.evidence.values_list("side", flat=True)) == ["client", "freelancer"]
    _refused(
        InvalidInput,
        "evidence_required",
        lambda: services.evidence_add(acting_user=contract.client, dispute=dispute, statement=" "),
    )
    _refused(
        NotFound,
        "dispute_not_found",
        lambda: services.evidence_add(
            acting_user=make_support(), dispute=dispute, statement="Support is not a side."
        ),
    )
    services.dispute_withdraw(acting_user=contract.client, dispute=dispute, reason="Resolved it.")
    _refused(
        Conflict,
        "dispute_not_active",
        lambda: services.evidence_add(acting_user=contract.client, dispute=dispute, statement="Too late."),
    )


def test_both_sides_asking_support_escalates_at_once(dispute):
    contract = dispute.contract
    services.dispute_ask_support(acting_user=contract.client, dispute=dispute)
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.OPEN
    assert dispute.opener_asked_support_at
    _refused(
        Conflict,
        "already_asked",
        lambda: services.dispute_ask_support(acting_user=contract.client, dispute=dispute),
    )
    services.dispute_ask_support(acting_user=contract.freelancer, dispute=dispute)
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ESCALATED
    assert dispute.decide_by == add_business_days(dispute.escalated_at, 1)
    _refused(
        Conflict,
        "already_escalated",
        lambda: services.dispute_ask_support(acting_user=contract.client, dispute=dispute),
    )


def test_the_task_escalates_disputes_past_their_response_deadline(dispute):
    assert disputes_escalate_due_task.apply().get() == 0
    with time_machine.travel(dispute.respond_by - timedelta(seconds=1)):
        assert services.disputes_escalate_due() == 0
    with time_machine.travel(dispute.respond_by + timedelta(minutes=1)):
        assert disputes_escalate_due_task.apply().get() == 1
        assert services.disputes_escalate_due() == 0  # idempotent
        now = timezone.now()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ESCALATED
    assert dispute.escalated_at == pytest.approx(now, abs=timedelta(seconds=5))
    assert dispute.decide_by == add_business_days(dispute.escalated_at, 1)


def _utc(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)  # 7 December 2026 is a Monday


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (_utc(9), 1, _utc(10)),  # Wednesday → Thursday
        (_utc(11), 1, _utc(14)),  # Friday → Monday
        (_utc(12), 1, _utc(14)),  # Saturday → Monday
        (_utc(13, 23), 1, _utc(14, 23)),  # Sunday night → Monday night
        (_utc(10), 3, _utc(15)),  # Thursday + 3 → Tuesday
        (_utc(7), 0, _utc(7)),
    ],
)
def test_business_days_skip_the_weekend(start, days, due):
    assert add_business_days(start, days) == due


def test_business_days_count_in_utc():
    from zoneinfo import ZoneInfo

    friday_late_in_new_york = datetime(2026, 12, 11, 20, tzinfo=ZoneInfo("America/New_York"))  # Sat 01:00 UTC
    assert add_business_days(friday_late_in_new_york, 1) == datetime(2026, 12, 14, 1, tzinfo=UTC)
