"""Cancelling a contract needs one of ``Contract.CancelReason`` (a client's "not delivered" after funding
counts against the freelancer's job success score), kept on the contract: the service (400
``invalid_input`` naming the field), the API (400 ``invalid`` naming it; the contract shows it) and the
page's dialog (a required select with the reasons and what "not delivered" means)."""

import pytest
from django.urls import reverse

from marketplace.contracts.models import Contract
from marketplace.contracts.services import contract_cancel, contract_complete
from marketplace.core.exceptions import InvalidInput, PermissionDenied
from tests.factories import make_contract, make_freelancer
from tests.frontend.test_form_errors import described_by
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

REASON = "The project lost its funding."


def _cancel(contract, by=None, **fields):
    return contract_cancel(
        acting_user=by or contract.client, contract=contract, **{"reason": REASON, **fields}
    )


@pytest.mark.parametrize("cancel_reason", ["", None, "bogus", "NOT_DELIVERED"])
def test_the_service_refuses_a_missing_or_unknown_reason(cancel_reason):
    contract = make_contract()
    with pytest.raises(InvalidInput) as refused:
        _cancel(contract, cancel_reason=cancel_reason)
    assert (refused.value.status, refused.value.code) == (400, "invalid_input")
    assert set(refused.value.fields) == {"cancel_reason"}
    contract.refresh_from_db()
    assert (contract.status, contract.cancel_reason) == (Contract.Status.ACTIVE, "")


def test_the_service_names_both_fields_when_both_are_wrong_and_the_text_alone_keeps_its_code():
    contract = make_contract()
    with pytest.raises(InvalidInput) as refused:
        _cancel(contract, reason=" ", cancel_reason="")
    assert (refused.value.code, set(refused.value.fields)) == ("invalid_input", {"cancel_reason", "reason"})
    with pytest.raises(InvalidInput) as refused:
        _cancel(contract, reason=" ", cancel_reason="mutual")
    assert (refused.value.code, set(refused.value.fields)) == ("reason_required", {"reason"})


def test_who_may_not_cancel_is_refused_before_the_reason_is_judged():
    contract = make_contract()
    with pytest.raises(PermissionDenied) as refused:
        _cancel(contract, by=make_freelancer(), cancel_reason="")
    assert refused.value.code == "not_a_party"


@pytest.mark.parametrize("cancel_reason", Contract.CancelReason.values)
def test_each_reason_is_kept_on_the_cancelled_contract(cancel_reason):
    contract = make_contract()
    _cancel(contract, by=contract.freelancer, cancel_reason=cancel_reason)
    contract.refresh_from_db()
    assert (contract.status, contract.cancel_reason, contract.end_reason) == (
        Contract.Status.CANCELLED,
        cancel_reason,
        REASON,
    )


def test_a_completed_contract_has_no_cancel_reason():
    contract = make_contract()
    contract_complete(acting_user=contract.client, contract=contract)
    contract.refresh_from_db()
    assert (contract.status, contract.cancel_reason) == (Contract.Status.COMPLETED, "")


@pytest.mark.parametrize("body", [{}, {"cancel_reason": ""}, {"cancel_reason": "bogus"}])
def test_the_api_requires_a_known_reason(body):
    contract = make_contract()
    answer = as_user(contract.client).post(
        f"/api/contracts/{contract.pk}/cancel/", {"reason": REASON, **body}, format="json"
    )
    error = assert_error(answer, 400, "invalid")
    assert set(error["fields"]) == {"cancel_reason"}
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_the_api_cancels_with_the_reason_and_shows_it():
    contract = make_contract()
    api = as_user(contract.client)
    answer = api.post(
        f"/api/contracts/{contract.pk}/cancel/",
        {"reason": REASON, "cancel_reason": "not_delivered"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["cancel_reason"]) == ("cancelled", "not_delivered")
    assert api.get(f"/api/contracts/{contract.pk}/").json()["cancel_reason"] == "not_delivered"
    listed = api.get("/api/contracts/").json()["results"]
    assert [(row["id"], row["cancel_reason"]) for row in listed] == [(contract.pk, "not_delivered")]
    other = make_contract()  # still active: no reason
    assert as_user(other.client).get(f"/api/contracts/{other.pk}/").json()["cancel_reason"] is None


def _page(client, contract) -> str:
    client.force_login(contract.client)
    return client.get(reverse("frontend:contract_detail", args=[contract.pk])).content.decode()


def test_the_cancel_dialog_asks_for_a_reason_and_says_what_not_delivered_means(client):
    contract = make_contract()
    html = _page(client, contract)
    select = html[
        html.index('<select id="cancel-why"') : html.index("</select>", html.index('id="cancel-why"'))
    ]
    assert 'name="cancel_reason" required' in select
    for value, label in Contract.CancelReason.choices:
        assert f'<option value="{value}">{label}</option>' in select
    assert described_by(html, '<select id="cancel-why"') == ["cancel-why-help"]
    help_text = html[html.index('id="cancel-why-help"') :].split("</p>", 1)[0]
    assert "“The work was not delivered” after a milestone was funded" in help_text
    assert "job success score" in help_text
    # The freelancer's dialog offers the same reasons.
    client.force_login(contract.freelancer)
    theirs = client.get(reverse("frontend:contract_detail", args=[contract.pk])).content.decode()
    assert theirs.count("<option value=") == html.count("<option value=") >= len(Contract.CancelReason.values)


def test_the_page_refuses_a_cancellation_without_a_reason_next_to_the_select(client):
    contract = make_contract()
    client.force_login(contract.client)
    url = reverse("frontend:contract_cancel", args=[contract.pk])
    response = client.post(url, {"reason": REASON})
    html = response.content.decode()
    assert response.status_code == 400
    assert described_by(html, '<select id="cancel-why"') == ["cancel-why-help", "cancel-why-error"]
    assert "Choose one of the reasons." in html
    assert '<details class="confirm confirm--block" open>' in html
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    # What was typed stays; an unknown value is the form's own refusal.
    assert REASON in html
    assert client.post(url, {"reason": REASON, "cancel_reason": "bogus"}).status_code == 400

    response = client.post(url, {"reason": REASON, "cancel_reason": "unresponsive"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.cancel_reason) == (Contract.Status.CANCELLED, "unresponsive")
