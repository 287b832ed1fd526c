"""Completing a contract follows the money rules (``contracts/completion.py``): refused while a
milestone holds money (funded, submitted, changes requested) — 409 ``milestones_hold_money`` in the
API naming each, and the page shows the reason instead of the dialog — while unfunded milestones are
closed by the completion, which the dialog names beforehand."""

import pytest
from django.urls import reverse

from escrow.models import Hold
from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.services import (
    contract_complete,
    milestone_approve,
    milestone_request_revision,
    milestone_submit,
)
from marketplace.core.exceptions import Conflict
from tests.escrow.builders import fund_milestone, payouts_ready
from tests.factories import make_contract
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

SCHEDULE = (("Design", 40_000), ("Build", 100_000), ("Launch", 20_000))


def _page(client, contract) -> str:
    client.force_login(contract.client)
    return client.get(reverse("frontend:contract_detail", args=[contract.pk])).content.decode()


def _milestones(contract) -> list[Milestone]:
    return list(Milestone.objects.filter(contract=contract).order_by("position"))


def test_completing_closes_the_unfunded_milestones_the_dialog_named(client):
    contract = make_contract(milestones=SCHEDULE)
    design, _build, _launch = _milestones(contract)
    payouts_ready(contract.freelancer)
    fund_milestone(design)
    milestone_submit(acting_user=contract.freelancer, milestone=design, message="The design.")
    milestone_approve(acting_user=contract.client, milestone=design)

    html = _page(client, contract)
    assert "Mark completed" in html
    assert "Milestones never funded are closed (cancelled): “2. Build” and “3. Launch”" in html
    assert 'id="complete-refused"' not in html

    response = client.post(reverse("frontend:contract_complete", args=[contract.pk]), {"reason": "Done"})

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
    # The paid part stays as it was (its transfer goes out after commit); the rest is closed.
    assert [m.status for m in _milestones(contract)] == ["approved", "cancelled", "cancelled"]
    assert Hold.objects.get(milestone=design).status != Hold.Status.FUNDED


@pytest.mark.parametrize("state", ["funded", "submitted", "revision"])
def test_a_milestone_holding_money_refuses_the_completion_with_its_name(state):
    contract = make_contract(milestones=SCHEDULE)
    _design, build, _launch = _milestones(contract)
    fund_milestone(build)
    if state != "funded":
        milestone_submit(acting_user=contract.freelancer, milestone=build, message="Built.")
    if state == "revision":
        milestone_request_revision(acting_user=contract.client, milestone=build, message="Not yet.")

    with pytest.raises(Conflict) as refused:
        contract_complete(acting_user=contract.client, contract=contract)

    assert refused.value.code == "milestones_hold_money"
    assert "“2. Build”" in refused.value.message
    assert refused.value.fields == {
        f"milestones.{build.pk}": [
            {"code": state, "message": f"2. Build: {Milestone.Status(state).label}"},
        ]
    }
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert [m.status for m in _milestones(contract)] == ["pending", state, "pending"]


def test_the_page_offers_no_completion_while_money_is_held_and_says_why(client):
    contract = make_contract(milestones=SCHEDULE)
    _design, build, _launch = _milestones(contract)
    fund_milestone(build)

    html = _page(client, contract)
    assert "Complete the contract" not in html  # no dialog …
    assert (
        '<button type="button" class="btn btn--primary" disabled aria-describedby="complete-refused">' in html
    )
    assert (
        "Money is still held in escrow for “2. Build” (funded), so the contract cannot be completed" in html
    )  # … but the reason

    # A completion posted anyway (a page opened before the funding) is refused, and changes nothing.
    response = client.post(reverse("frontend:contract_complete", args=[contract.pk]), {"reason": "Done"})
    assert response.status_code == 409
    assert "Money is still held in escrow for “2. Build”" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert [m.status for m in _milestones(contract)] == ["pending", "funded", "pending"]


def test_the_api_refuses_with_a_code_and_lists_the_milestones_then_completes():
    contract = make_contract(milestones=SCHEDULE)
    design, build, launch = _milestones(contract)
    fund_milestone(design)
    fund_milestone(build)
    milestone_submit(acting_user=contract.freelancer, milestone=build, message="Built.")
    api = as_user(contract.client)
    url = f"/api/contracts/{contract.pk}/complete/"

    error = assert_error(api.post(url, {"note": "Done"}, format="json"), 409, "milestones_hold_money")

    assert error["fields"] == {
        f"milestones.{design.pk}": [{"code": "funded", "message": "1. Design: Funded"}],
        f"milestones.{build.pk}": [{"code": "submitted", "message": "2. Build: Submitted for approval"}],
    }
    assert "“1. Design” (funded) and “2. Build” (submitted for approval)" in error["message"]
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE

    # Positive control: the same call goes through once no milestone holds money.
    Milestone.objects.filter(pk__in=[design.pk, build.pk]).update(status=Milestone.Status.RELEASED)
    response = api.post(url, {"note": "Done"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    launch.refresh_from_db()
    assert launch.status == Milestone.Status.CANCELLED


def test_an_approved_milestone_whose_release_waits_does_not_stand_in_the_way():
    """The freelancer has no payouts yet: the approved money is theirs, the contract may end."""
    contract = make_contract(milestones=SCHEDULE[:1])
    (design,) = _milestones(contract)
    fund_milestone(design)
    milestone_submit(acting_user=contract.freelancer, milestone=design, message="The design.")
    milestone_approve(acting_user=contract.client, milestone=design)
    design.refresh_from_db()
    assert design.status == Milestone.Status.APPROVED

    contract_complete(acting_user=contract.client, contract=contract)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
