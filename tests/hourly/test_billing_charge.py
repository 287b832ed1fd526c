"""Billing a week through the real services, escrow and the fake Stripe: a week with time is charged
to the client's saved card off session (hours times rate plus the client fee) and funded into one
hold, then in review; an empty week bills nothing; a declined card, or one that needs its owner,
fails the week and pauses the contract, both sides are told, and the client pays it on its page."""

import pytest

from escrow.models import Charge, Hold
from marketplace.hourly import weeks
from marketplace.hourly.models import Timesheet
from marketplace.hourly.selectors import contract_is_paused
from marketplace.hourly.services.billing import (
    timesheet_charge,
    timesheet_pay_confirm,
    timesheet_pay_start,
    weeks_bill_due,
)
from messaging.models import Notification
from tests.escrow.money_world import pay_in_browser
from tests.hourly.billing_world import (
    DUE,
    MONDAY,
    RATE,
    after,
    hourly_contract,
    intents_of,
    ledger_balanced,
    log_time,
    paid_intents,
    save_card,
    week_of,
)

pytestmark = pytest.mark.django_db
Status = Timesheet.Status


def _bill_and_charge(django_capture_on_commit_callbacks) -> Timesheet:
    with django_capture_on_commit_callbacks(execute=False):
        done = weeks_bill_due(now=DUE)
    week = Timesheet.objects.get()
    if week.status == Status.CHARGING:
        assert done["billed"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            timesheet_charge(timesheet_id=week.pk)
    week.refresh_from_db()
    return week


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_week_is_charged_off_session_and_goes_to_review(stripe_fake, django_capture_on_commit_callbacks):
    contract = hourly_contract()
    save_card(stripe_fake, contract.client)
    log_time(contract, after(MONDAY, hours=9), 90)
    log_time(contract, after(MONDAY, days=6, hours=23), 45)  # late Sunday, same week
    # Not due before Monday 12:00 UTC: nothing billed.
    assert weeks_bill_due(now=after(DUE, seconds=-1))["billed"] == 0

    week = _bill_and_charge(django_capture_on_commit_callbacks)

    assert week.status == Status.IN_REVIEW
    assert (week.minutes, week.rate_minor, week.amount_minor) == (135, RATE, 11_250)
    hold = week.hold
    assert hold.reference == f"timesheet:{week.pk}"
    assert (hold.payer_id, hold.payee_id) == (contract.client_id, contract.freelancer_id)
    assert hold.status == Hold.Status.FUNDED
    assert (contract.client_fee_bp, hold.client_fee_minor) == (500, 563)  # 5 %, half up
    assert hold.description == f"{contract.title}: week of {MONDAY:%Y-%m-%d}"
    assert week.review_by == weeks.review_deadline(week.funded_at)
    [paid] = paid_intents(stripe_fake, contract)
    assert paid["amount"] == hold.amount_minor + hold.client_fee_minor == hold.charge_amount_minor
    assert len(intents_of(stripe_fake, contract)) == 1
    assert Charge.objects.get(hold=hold).status == Charge.Status.SUCCEEDED
    assert ledger_balanced()
    assert not contract_is_paused(contract)
    assert _kinds(contract.client).count("week_charged") == 1
    assert _kinds(contract.freelancer).count("week_charged") == 1
    # Billing again finds nothing to do.
    assert weeks_bill_due(now=after(DUE, hours=1))["billed"] == 0


def test_a_week_without_time_bills_nothing(stripe_fake, django_capture_on_commit_callbacks):
    contract = hourly_contract()
    save_card(stripe_fake, contract.client)
    week_of(contract)  # made by a timer started and discarded, say: no entries
    week = _bill_and_charge(django_capture_on_commit_callbacks)
    assert (week.status, week.minutes, week.amount_minor, week.hold_id) == (Status.EMPTY, 0, 0, None)
    assert Hold.objects.count() == 0
    assert intents_of(stripe_fake, contract) == []


@pytest.mark.parametrize(
    ("card", "code"),
    [
        ("pm_card_chargeCustomerFail", "card_declined"),
        ("pm_card_authenticationRequired", "authentication_required"),
        (None, "no_saved_card"),
    ],
)
def test_a_failed_charge_pauses_and_the_client_pays_on_the_page(
    stripe_fake, django_capture_on_commit_callbacks, mailoutbox, card, code
):
    contract = hourly_contract()
    if card:
        save_card(stripe_fake, contract.client, card)
    log_time(contract, after(MONDAY, hours=10), 60)

    week = _bill_and_charge(django_capture_on_commit_callbacks)

    assert (week.status, week.failure_code) == (Status.PAYMENT_FAILED, code)
    assert week.failure_message
    assert week.failed_at
    assert week.hold.status == Hold.Status.PENDING
    assert contract_is_paused(contract)
    assert paid_intents(stripe_fake, contract) == []
    assert _kinds(contract.client) == ["week_payment_failed"]
    assert _kinds(contract.freelancer) == ["week_payment_failed"]
    # A money event: emailed to both at once, not kept for the digest.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contract.client.email, contract.freelancer.email])
    assert any("Payment failed" in m.subject for m in mailoutbox)
    # Charging again (a repeated task) does not charge again.
    timesheet_charge(timesheet_id=week.pk)
    assert len(intents_of(stripe_fake, contract)) == (1 if card else 0)

    # The client pays on the page: the failed charge's PaymentIntent, confirmed with another card.
    charge = timesheet_pay_start(acting_user=contract.client, timesheet=week)
    assert charge.client_secret
    if card:
        assert charge.payment_intent_id == intents_of(stripe_fake, contract)[0]["id"]
    pay_in_browser(stripe_fake, charge.payment_intent_id, "pm_card_visa")
    with django_capture_on_commit_callbacks(execute=True):
        charge = timesheet_pay_confirm(
            acting_user=contract.client, timesheet=week, payment_intent_id=charge.payment_intent_id
        )
    assert charge.status == Charge.Status.SUCCEEDED
    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    assert week.review_by == weeks.review_deadline(week.funded_at)
    assert not contract_is_paused(contract)
    assert len(paid_intents(stripe_fake, contract)) == 1
    assert ledger_balanced()
    assert _kinds(contract.client)[0] == "week_paid"
    assert _kinds(contract.freelancer)[0] == "week_paid"


def test_only_the_paying_client_side_pays_a_failed_week(stripe_fake, django_capture_on_commit_callbacks):
    from marketplace.core.exceptions import Conflict, PermissionDenied

    contract = hourly_contract()
    log_time(contract, after(MONDAY, hours=10), 60)
    week = _bill_and_charge(django_capture_on_commit_callbacks)  # no saved card
    with pytest.raises(PermissionDenied):
        timesheet_pay_start(acting_user=contract.freelancer, timesheet=week)
    week.status = Status.IN_REVIEW
    with pytest.raises(Conflict):
        timesheet_pay_start(acting_user=contract.client, timesheet=week)


def test_a_declined_charge_recorded_without_its_secret_can_still_be_paid(
    stripe_fake, django_capture_on_commit_callbacks
):
    """The processor's event recorded the PaymentIntent before our answer did (no client secret on
    the row): the page's payment reads it and hands out the secret."""
    contract = hourly_contract()
    save_card(stripe_fake, contract.client, "pm_card_chargeCustomerFail")
    log_time(contract, after(MONDAY, hours=10), 60)
    week = _bill_and_charge(django_capture_on_commit_callbacks)
    Charge.objects.filter(hold=week.hold).update(client_secret="")
    charge = timesheet_pay_start(acting_user=contract.client, timesheet=week)
    assert charge.client_secret == intents_of(stripe_fake, contract)[0]["client_secret"]
    assert Charge.objects.get(pk=charge.pk).client_secret == charge.client_secret


def test_the_last_week_of_an_ended_contract_is_still_billed(stripe_fake, django_capture_on_commit_callbacks):
    """Completing an hourly contract mid-week ends the logging, not the pay for time already worked:
    that week is billed and charged on Monday like any other."""
    from marketplace.contracts.services import contract_complete

    contract = hourly_contract()
    save_card(stripe_fake, contract.client)
    log_time(contract, after(MONDAY, hours=9), 60)
    contract_complete(acting_user=contract.client, contract=contract, note="Done, thanks")

    week = _bill_and_charge(django_capture_on_commit_callbacks)

    assert (week.status, week.amount_minor) == (Status.IN_REVIEW, RATE)
    assert week.hold.status == Hold.Status.FUNDED
