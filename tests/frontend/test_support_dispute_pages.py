"""Support staff's dispute pages: the queue (deadline order, overdue marked, filters, bounded
queries), the case page (evidence, work handed in, ledger, notes, assignment) and the decision with
its preview. Everyone but support staff gets a 404."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.contracts.services.milestones import milestone_submit
from marketplace.core.money import Money
from marketplace.disputes import services
from marketplace.disputes.models import Dispute
from tests.escrow.builders import fund_milestone
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db
QUEUE = "/support/disputes/"
AMOUNT = 100_000


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def escalated_dispute(title: str = "Landing page") -> Dispute:
    contract = make_contract(milestones=[(title, AMOUNT)])
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Handed in, see notes.")
    milestone.refresh_from_db()
    dispute = services.dispute_open(
        acting_user=contract.client,
        milestone=milestone,
        reason=Dispute.Reason.QUALITY,
        description="Not what was agreed.",
        amount=Money(AMOUNT, "USD"),
    )
    for user in (contract.client, contract.freelancer):
        dispute = services.dispute_ask_support(acting_user=user, dispute=dispute)
    assert dispute.status == Dispute.Status.ESCALATED
    return dispute


@pytest.fixture
def agent():
    return make_user(is_support=True, full_name="Sue Support")


def case(dispute) -> str:
    return reverse("frontend:support_dispute", args=[dispute.pk])


def test_only_support_staff_see_the_queue_and_cases(client, agent):
    dispute = escalated_dispute()
    for outsider in (make_user(staff=True), dispute.contract.client, dispute.contract.freelancer):
        client.force_login(outsider)
        assert client.get(QUEUE).status_code == 404
        assert client.get(case(dispute)).status_code == 404
    client.force_login(agent)
    html = client.get(QUEUE).content.decode()
    assert "Disputes queue" in html
    assert "Landing page" in html


def test_the_queue_marks_overdue_cases_and_filters(client, agent):
    late, fresh = escalated_dispute("Late one"), escalated_dispute("Fresh one")
    Dispute.objects.filter(pk=late.pk).update(decide_by=timezone.now() - timedelta(hours=2))
    services.dispute_assign(acting_user=agent, dispute=fresh, assignee=agent)
    client.force_login(agent)
    html = client.get(QUEUE).content.decode()
    assert html.index("Late one") < html.index("Fresh one")  # nearest deadline first
    assert "Overdue" in text_of(html)
    mine = client.get(QUEUE, {"who": "me"}).content.decode()
    assert "Fresh one" in mine
    assert "Late one" not in mine
    unassigned = client.get(QUEUE, {"who": "unassigned"}).content.decode()
    assert "Late one" in unassigned
    assert "Fresh one" not in unassigned
    empty = client.get(QUEUE, {"kind": "chargeback"}).content.decode()
    assert "No disputes match these filters" in empty


def test_the_case_page_shows_the_work_the_evidence_and_the_ledger(client, agent):
    dispute = escalated_dispute()
    client.force_login(agent)
    html = text_of(client.get(case(dispute)).content.decode())
    for part in ("Not what was agreed.", "Handed in, see notes.", "This hold's ledger", "Internal notes"):
        assert part in html
    assert "Support decides" in html


def test_notes_and_assignment(client, agent):
    dispute = escalated_dispute()
    other = make_user(is_support=True, full_name="Otto Other")
    client.force_login(agent)
    note = reverse("frontend:support_dispute_note", args=[dispute.pk])
    assert client.post(note, {"body": "Called the client."}).status_code == 302
    assert client.post(note, {"body": ""}).status_code == 400
    assign = reverse("frontend:support_dispute_assign", args=[dispute.pk])
    assert client.post(assign, {"assignee": other.pk}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.assigned_to == other
    html = client.get(case(dispute)).content.decode()
    assert "Called the client." in html
    assert "Assigned to Otto Other" in html
    # A non-support user cannot be assigned: the form does not offer them.
    assert client.post(assign, {"assignee": dispute.contract.client_id}).status_code == 400


def test_a_split_is_previewed_then_decided(client, agent):
    dispute = escalated_dispute()
    client.force_login(agent)
    decide = reverse("frontend:support_dispute_decide", args=[dispute.pk])
    form = {"outcome": "split", "release": "600.00", "reason": "The FAQ was missing."}
    preview = client.post(decide, form)
    assert preview.status_code == 200
    html = text_of(preview.content.decode())
    assert "The freelancer receives $540.00" in html
    assert "The client gets back $420.00" in html
    assert "Confirm the decision" in html
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ESCALATED  # nothing decided by the preview
    assert client.post(decide, {**form, "confirm": "True"}).status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome) == (Dispute.Status.DECIDED, Dispute.Outcome.SPLIT)
    assert (dispute.released_minor, dispute.refunded_minor) == (60_000, 40_000)
    client.force_login(dispute.contract.freelancer)
    party = text_of(client.get(reverse("frontend:dispute_detail", args=[dispute.pk])).content.decode())
    assert "Support decided: split" in party
    assert "You receive $540.00" in party
    assert "The FAQ was missing." in party


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"outcome": "split", "reason": "Half."}, "Say how much goes to the freelancer."),
        ({"outcome": "split", "release": "1000.00", "reason": "All."}, "A split gives each side part"),
        ({"outcome": "release_all", "reason": ""}, "This field is required."),
    ],
)
def test_a_decision_needs_a_reason_and_a_proper_split(client, agent, form, error):
    dispute = escalated_dispute()
    client.force_login(agent)
    response = client.post(reverse("frontend:support_dispute_decide", args=[dispute.pk]), form)
    assert response.status_code == 400
    assert error in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ESCALATED


def test_the_queue_makes_the_same_queries_for_1_and_50_disputes(client, agent):
    def queries() -> int:
        client.force_login(agent)
        client.get(QUEUE)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    escalated_dispute()
    one = queries()
    for n in range(49):
        escalated_dispute(f"Part {n}")
    assert queries() == one
