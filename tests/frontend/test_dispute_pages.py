"""The parties' dispute pages: opening one from a milestone (the amount typed in major units, kept
exactly in minor units), the list, the dispute page for each side, and its actions. Real services
underneath; nothing mocked."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escrow.models import Hold
from marketplace.contracts.services import contract_cancel
from marketplace.core.money import Money
from marketplace.disputes import services
from marketplace.disputes.models import Dispute
from tests.escrow.builders import fund_milestone
from tests.factories import make_contract, make_freelancer, make_user

pytestmark = pytest.mark.django_db
AMOUNT = 100_000  # $1,000.00; 5 % client fee, 10 % freelancer fee


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def funded(**kwargs):
    contract = make_contract(milestones=[AMOUNT], **kwargs)
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    return contract, milestone


def open_dispute(contract, milestone, *, by=None, amount=AMOUNT) -> Dispute:
    return services.dispute_open(
        acting_user=by or contract.client,
        milestone=milestone,
        reason=Dispute.Reason.NOT_DELIVERED,
        description="Nothing was delivered.",
        amount=Money(amount, contract.currency),
    )


def open_url(milestone) -> str:
    return reverse("frontend:dispute_open", args=[milestone.pk])


def detail(dispute) -> str:
    return reverse("frontend:dispute_detail", args=[dispute.pk])


def test_the_open_form_is_prefilled_and_keeps_the_typed_amount_exactly(client):
    contract, milestone = funded()
    client.force_login(contract.client)
    html = client.get(open_url(milestone)).content.decode()
    assert 'value="1000.00"' in html
    response = client.post(
        open_url(milestone),
        {
            "reason": "quality",
            "amount": "123.45",
            "description": "Half of it is missing.",
            "files": [SimpleUploadedFile("brief.txt", b"What was agreed\n", content_type="text/plain")],
        },
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(dispute)
    assert (dispute.amount_minor, dispute.currency, dispute.reason) == (12_345, "USD", "quality")
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN
    page = client.get(detail(dispute)).content.decode()
    assert "brief.txt" in page
    assert "$1,000.00 is frozen in escrow" in text_of(page)


@pytest.mark.parametrize(
    ("amount", "error"),
    [("12.345", "USD amounts use at most 2 decimal places."), ("", "This field is required.")],
)
def test_the_open_form_refuses_a_bad_amount_and_opens_nothing(client, amount, error):
    contract, milestone = funded()
    client.force_login(contract.client)
    response = client.post(
        open_url(milestone), {"reason": "quality", "amount": amount, "description": "Missing parts."}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Dispute.objects.exists()
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED


def test_the_open_form_says_why_not_and_outsiders_get_404(client):
    contract = make_contract(milestones=[AMOUNT])
    milestone = contract.milestones.get()  # not funded: nothing to dispute
    client.force_login(contract.client)
    response = client.get(open_url(milestone))
    assert response.status_code == 200
    assert "You cannot open a dispute on this milestone." in response.content.decode()
    client.force_login(make_freelancer())
    assert client.get(open_url(milestone)).status_code == 404


def test_the_milestone_and_contract_pages_offer_a_dispute_and_then_link_to_it(client):
    contract, milestone = funded()
    milestone_page = reverse("frontend:milestone_detail", args=[contract.pk, milestone.pk])
    contract_page = reverse("frontend:contract_detail", args=[contract.pk])
    for user in (contract.client, contract.freelancer):
        client.force_login(user)
        assert "Open a dispute" in client.get(milestone_page).content.decode()
        assert open_url(milestone) in client.get(contract_page).content.decode()
    dispute = open_dispute(contract, milestone)
    for user in (contract.client, contract.freelancer):
        client.force_login(user)
        html = client.get(milestone_page).content.decode()
        assert "Disputed: the money is frozen" in html
        assert detail(dispute) in html
        assert "Approve and pay" not in html
        assert detail(dispute) in client.get(contract_page).content.decode()


def test_a_cancelled_contracts_refund_can_be_disputed_by_the_freelancer(client):
    contract, milestone = funded()
    contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    milestone_page = reverse("frontend:milestone_detail", args=[contract.pk, milestone.pk])
    client.force_login(contract.freelancer)
    html = text_of(client.get(milestone_page).content.decode())
    assert "Refunded to the client in 3 days" in html
    assert "Dispute this refund" in html
    client.force_login(contract.client)
    assert "Dispute this refund" not in client.get(milestone_page).content.decode()
    client.force_login(contract.freelancer)
    response = client.post(
        open_url(milestone),
        {"reason": "cancellation", "amount": "400", "description": "Most of it was delivered."},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.kind, dispute.amount_minor) == (Dispute.Kind.CANCELLATION, 40_000)


def test_each_side_sees_its_own_controls(client):
    contract, milestone = funded()
    dispute = open_dispute(contract, milestone)
    client.force_login(contract.freelancer)
    respondent = client.get(detail(dispute)).content.decode()
    assert "Send your answer" in respondent
    assert "Withdraw the dispute" not in respondent
    assert re.search(r"Response due in 3.days", respondent)
    client.force_login(contract.client)
    opener = client.get(detail(dispute)).content.decode()
    assert "Send your answer" not in opener
    assert "Withdraw the dispute" in opener
    # The opener cannot answer their own dispute; an outsider cannot see it; staff go elsewhere.
    assert (
        client.post(reverse("frontend:dispute_respond", args=[dispute.pk]), {"response": "x"}).status_code
        == 403
    )
    client.force_login(make_freelancer())
    assert client.get(detail(dispute)).status_code == 404


def test_respond_with_evidence_and_the_opener_sees_it(client):
    contract, milestone = funded()
    dispute = open_dispute(contract, milestone)
    client.force_login(contract.freelancer)
    response = client.post(
        reverse("frontend:dispute_respond", args=[dispute.pk]),
        {
            "response": "It was delivered on time.",
            "files": [SimpleUploadedFile("delivery.txt", b"Sent on Monday\n", content_type="text/plain")],
        },
    )
    assert response.status_code == 302
    client.force_login(contract.client)
    html = client.get(detail(dispute)).content.decode()
    assert "It was delivered on time." in html
    assert "delivery.txt" in html


def test_an_offer_shows_what_each_side_receives_and_accepting_settles(client):
    contract, milestone = funded()
    dispute = open_dispute(contract, milestone)
    client.force_login(contract.freelancer)
    response = client.post(reverse("frontend:dispute_offer", args=[dispute.pk]), {"release": "600.00"})
    assert response.status_code == 302
    offer = dispute.offers.get()
    assert (offer.release_minor, offer.refund_minor) == (60_000, 40_000)
    client.force_login(contract.client)
    html = text_of(client.get(detail(dispute)).content.decode())
    assert "The freelancer receives $540.00" in html  # 600.00 less the 10 % fee
    assert "You get back $420.00" in html  # 400.00 and its 5 % fee
    response = client.post(reverse("frontend:dispute_offer_accept", args=[dispute.pk, offer.pk]))
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.SETTLED
    assert "Settled between you" in client.get(detail(dispute)).content.decode()


def test_an_offer_for_more_than_is_held_is_refused_on_the_form(client):
    contract, milestone = funded()
    dispute = open_dispute(contract, milestone)
    client.force_login(contract.client)
    response = client.post(reverse("frontend:dispute_offer", args=[dispute.pk]), {"release": "1000.01"})
    assert response.status_code == 400
    assert "That is more than is held for this milestone." in response.content.decode()
    assert not dispute.offers.exists()


def test_withdraw_unfreezes_and_ask_support_escalates_when_both_ask(client):
    contract, milestone = funded()
    dispute = open_dispute(contract, milestone)
    for user in (contract.client, contract.freelancer):
        client.force_login(user)
        assert client.post(reverse("frontend:dispute_ask_support", args=[dispute.pk])).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ESCALATED
    client.force_login(contract.client)
    assert "Support decides" in client.get(detail(dispute)).content.decode()
    response = client.post(reverse("frontend:dispute_withdraw", args=[dispute.pk]), {"reason": "Sorted out."})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.WITHDRAWN
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED


def test_the_list_has_an_empty_state_and_shows_my_disputes(client):
    freelancer = make_freelancer()
    client.force_login(freelancer)
    assert "No disputes" in client.get(reverse("frontend:disputes")).content.decode()
    contract, milestone = funded(freelancer=freelancer)
    open_dispute(contract, milestone)
    html = client.get(reverse("frontend:disputes")).content.decode()
    assert milestone.title in html
    assert "Awaiting response" in html
    client.force_login(make_user())
    assert milestone.title not in client.get(reverse("frontend:disputes")).content.decode()


def test_the_list_makes_the_same_queries_for_1_and_50_disputes(client, settings):
    settings.PROPOSAL_DAILY_CAP = 100  # one freelancer hired 50 times today
    freelancer = make_freelancer()

    def queries() -> int:
        client.force_login(freelancer)
        client.get(reverse("frontend:disputes"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("frontend:disputes")).status_code == 200
        return len(captured)

    contract, milestone = funded(freelancer=freelancer)
    open_dispute(contract, milestone)
    one = queries()
    for _ in range(49):
        contract, milestone = funded(freelancer=freelancer)
        open_dispute(contract, milestone)
    assert queries() == one
