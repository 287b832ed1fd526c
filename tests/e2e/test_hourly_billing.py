"""Hourly billing in a browser, against the ASGI server, a Celery worker and the fake Stripe: the
billing sweep runs on Monday (the clock moved there in this process, where the beat task runs) and
charges last week to the client's saved card; the next week the saved card is declined, the
contract is paused (banners for both sides), and the client pays the week on its page with another
card: the week is in review, the contract resumes. Screenshots ``hourly-billing-*`` at 1280 and
390 wide."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from playwright.sync_api import Browser, expect

from marketplace.hourly import weeks
from marketplace.hourly.models import Timesheet
from marketplace.hourly.selectors import contract_is_paused
from marketplace.hourly.tasks import bill_due_weeks
from tests.e2e import test_money_story
from tests.e2e.test_hiring_story import Person, phone_shot, usd
from tests.e2e.test_money_story import _fill_card
from tests.hourly.billing_world import hourly_contract, log_time, paid_intents, save_card

money_server = test_money_story.money_server  # the server and worker fixture of the money story
Status = Timesheet.Status


def _settled(week_pk: int, timeout: float = 30) -> Timesheet:
    """The week once the worker ran its charge task (queued by the bill after commit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        week = Timesheet.objects.select_related("hold").get(pk=week_pk)
        if week.status != Status.CHARGING:
            return week
        time.sleep(0.3)
    raise AssertionError("the week's charge did not run")


def _bill_on_monday_of(week_start) -> None:
    """The beat's billing task, run at the week's billing time (Monday 12:00 UTC) plus a minute."""
    with time_machine.travel(weeks.billing_due_at(week_start) + timedelta(minutes=1), tick=False):
        bill_due_weeks()


def test_weeks_charged_on_monday_a_declined_card_pauses_and_the_client_pays(
    browser: Browser, money_server: str, stripe_fake, artifacts_dir: Path
):
    base, fake = money_server, stripe_fake
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    this_week = weeks.week_start_of(datetime.now(UTC))
    two_ago, last = this_week - timedelta(days=14), this_week - timedelta(days=7)
    contract = hourly_contract()
    save_card(fake, contract.client, "pm_card_visa")
    at = lambda day, hours: datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hours)  # noqa: E731
    log_time(contract, at(two_ago, 9), 120, "Calendar view")
    log_time(contract, at(two_ago, 6 * 24 + 20), 60, "Sunday evening fixes")
    log_time(contract, at(last, 10), 150, "Reminders")
    log_time(contract, at(this_week, 1), 45, "Monday morning")

    # Monday of the week after: the first week is charged to the saved card, off session.
    _bill_on_monday_of(two_ago)
    first = _settled(Timesheet.objects.get(contract=contract, week_start=two_ago).pk)
    assert first.status == Status.IN_REVIEW
    assert (first.minutes, first.amount_minor) == (180, 15_000)
    assert [pi["amount"] for pi in paid_intents(fake, contract)] == [first.hold.charge_amount_minor]

    # The client's dashboard: this week's next charge, estimated.
    carl = Person(browser, base, shots, errors)
    carl.page.goto(f"{base}/dashboard/")
    carl.log_in(contract.client.email)
    charges = carl.page.locator("[data-next-charges]")
    expect(charges).to_contain_text("0 h 45 min so far this week")
    expect(charges).to_contain_text(usd(3_750 + 188))  # 45 min at $50, plus the 5 % client fee
    carl.shot("hourly-billing-01-next-charge")
    phone_shot(carl, "hourly-billing-01-next-charge")

    # A newer saved card that is declined: the next Monday's charge fails and the contract pauses.
    save_card(fake, contract.client, "pm_card_chargeCustomerFail")
    _bill_on_monday_of(last)
    second = _settled(Timesheet.objects.get(contract=contract, week_start=last).pk)
    assert (second.status, second.failure_code) == (Status.PAYMENT_FAILED, "card_declined")
    assert contract_is_paused(contract)

    fran = Person(browser, base, shots, errors)
    fran.page.goto(f"{base}/contracts/{contract.pk}/")
    fran.log_in(contract.freelancer.email)
    banner = fran.page.locator("[data-paused-banner]")
    expect(banner).to_contain_text("This contract is paused.")
    expect(banner).to_contain_text("until the client pays it")
    expect(banner.get_by_role("link", name="Pay this week")).to_have_count(0)
    fran.shot("hourly-billing-02-paused-freelancer")
    phone_shot(fran, "hourly-billing-02-paused-freelancer")

    carl.page.goto(f"{base}/contracts/{contract.pk}/")
    banner = carl.page.locator("[data-paused-banner]")
    expect(banner).to_contain_text("Your card was declined.")
    carl.shot("hourly-billing-03-paused-client")
    phone_shot(carl, "hourly-billing-03-paused-client")
    total = usd(second.hold.charge_amount_minor)
    banner.get_by_role("link", name=f"Pay this week ({total})").click()
    expect(carl.page.get_by_role("heading", level=1)).to_contain_text("Pay the week of")
    expect(carl.page.locator("[data-fund=total]")).to_have_text(total)
    carl.page.get_by_label("A new card").check()
    _fill_card(carl, "4242 4242 4242 4242")
    carl.shot("hourly-billing-04-pay-page")
    phone_shot(carl, "hourly-billing-04-pay-page")
    carl.page.get_by_role("button", name=f"Pay {total}").click()
    carl.page.wait_for_url(f"{base}/contracts/{contract.pk}/")
    expect(carl.page.get_by_text("Paid. The week is in escrow for your review")).to_be_visible()
    expect(carl.page.locator("[data-paused-banner]")).to_have_count(0)
    carl.shot("hourly-billing-05-resumed")
    phone_shot(carl, "hourly-billing-05-resumed")

    second.refresh_from_db()
    assert second.status == Status.IN_REVIEW
    assert not contract_is_paused(contract)
    assert len(paid_intents(fake, contract)) == 2
    assert errors == []
