"""The billing parts of the pages: a failed week's banner (the client's "Pay this week", the
freelancer's "waiting for the client's payment"), the paused banner, the pay page with the shared
card form and its JSON steps, the API's pay endpoints, and the dashboard's next charge (the same
number of queries for 1 hourly contract as for 20)."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.hourly.models import Timesheet
from marketplace.hourly.services.billing import timesheet_charge, weeks_bill_due
from tests.escrow.money_world import pay_in_browser
from tests.hourly.billing_world import DUE, MONDAY, after, hourly_contract, log_time, save_card

pytestmark = pytest.mark.django_db
Status = Timesheet.Status


@pytest.fixture
def failed_week(stripe_fake):
    contract = hourly_contract()
    save_card(stripe_fake, contract.client, "pm_card_chargeCustomerFail")
    log_time(contract, after(MONDAY, hours=9), 150)
    weeks_bill_due(now=DUE)
    week = timesheet_charge(timesheet_id=Timesheet.objects.get(contract=contract).pk)
    assert week.status == Status.PAYMENT_FAILED
    return Timesheet.objects.select_related("contract", "hold").get(pk=week.pk)


def _render(template: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(template, {"request": request, **context})


def test_the_week_banner_offers_the_client_to_pay_and_tells_the_freelancer_to_wait(failed_week):
    contract = failed_week.contract
    html = _render("frontend/hourly/_week_payment.html", contract.client, timesheet=failed_week)
    assert 'data-week-payment="payment_failed"' in html
    assert "Your card was declined." in html
    assert reverse("frontend:hourly_week_pay", args=[contract.pk, failed_week.pk]) in html
    html = _render("frontend/hourly/_week_payment.html", contract.freelancer, week=failed_week)
    assert "waiting for the client's payment" in html
    assert "data-week-pay>" not in html
    paused = _render("frontend/hourly/_paused_banner.html", contract.freelancer, contract=contract)
    assert "This contract is paused." in paused
    assert "until the client pays it" in paused


def test_the_client_pays_the_week_on_its_page(client, stripe_fake, failed_week):
    contract = failed_week.contract
    page = reverse("frontend:hourly_week_pay", args=[contract.pk, failed_week.pk])
    client.force_login(contract.freelancer)
    assert client.get(page).status_code == 302
    client.force_login(contract.client)
    html = client.get(page).content.decode()
    assert "data-fund-form" in html
    assert "Your card was declined." in html
    assert "Save this card for the next weeks" in html
    intent = client.post(f"{page}intent/").json()
    pay_in_browser(stripe_fake, intent["payment_intent"], "pm_card_visa")
    answer = client.post(f"{page}confirm/", {"payment_intent": intent["payment_intent"]}).json()
    assert answer == {"status": "funded", "redirect": reverse("frontend:contract_detail", args=[contract.pk])}
    failed_week.refresh_from_db()
    assert failed_week.status == Status.IN_REVIEW
    # Paid: the page sends the client back.
    assert client.get(page).status_code == 302


def test_the_api_pays_a_failed_week(client, stripe_fake, failed_week):
    contract = failed_week.contract
    client.force_login(contract.client)
    start = client.post(f"/api/timesheets/{failed_week.pk}/pay/", content_type="application/json")
    assert start.status_code == 201, start.content
    body = start.json()
    assert body["amount_minor"] == failed_week.hold.charge_amount_minor
    assert body["client_secret"]
    confirm = f"/api/timesheets/{failed_week.pk}/pay/confirm/"
    declined = client.post(
        confirm, {"payment_intent": body["payment_intent"]}, content_type="application/json"
    )
    assert (declined.status_code, declined.json()["error"]["code"]) == (402, "card_declined")
    pay_in_browser(stripe_fake, body["payment_intent"], "pm_card_visa")
    paid = client.post(confirm, {"payment_intent": body["payment_intent"]}, content_type="application/json")
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "in_review"
    again = client.post(f"/api/timesheets/{failed_week.pk}/pay/", content_type="application/json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_payment_failed")


def _dashboard_queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get(reverse("frontend:dashboard"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("frontend:dashboard"))
    return len(captured), response.content.decode()


def test_the_dashboard_shows_the_next_charge_in_as_many_queries_for_20_contracts_as_for_1(
    client, time_machine
):
    time_machine.move_to(after(MONDAY, days=2), tick=False)
    one = hourly_contract()
    log_time(one, after(MONDAY, hours=9), 90)
    count_one, html = _dashboard_queries(client, one.client)
    assert "Hourly: next charges" in html
    assert "1 h 30 min so far this week" in html
    assert "$78.75" in html  # 90 min at $50 = $75.00, plus the 5 % client fee
    many = hourly_contract()
    for _ in range(19):
        other = hourly_contract(client=many.client)
        log_time(other, after(MONDAY, hours=9), 60)
    count_many, html = _dashboard_queries(client, many.client)
    assert count_one == count_many, (count_one, count_many)
    assert html.count("so far this week") == 8  # a section's rows, then "All active contracts"
