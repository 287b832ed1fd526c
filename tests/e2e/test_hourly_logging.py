"""Hourly time in two browsers: the freelancer starts and stops the timer and logs an entry by hand on
the contract's time page; the client's time page, open all along, shows each change without a
reload. Screenshots of the time page (both sides), the week page and the contract page at 1280 and
390 px wide, in artifacts/screenshots/hourly/."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Browser, expect

from marketplace.hourly.models import RunningTimer, TimeEntry, Timesheet
from tests.e2e.test_messaging import log_in, off_the_loop, shots
from tests.factories import make_client, make_freelancer
from tests.hourly.logging_support import hourly_contract


def _contract():
    client = make_client(email="harriet@example.com", full_name="Harriet Cole")
    freelancer = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    freelancer.timezone = "Europe/Lisbon"
    freelancer.save(update_fields=["timezone"])
    return hourly_contract(client=client, freelancer=freelancer, rate_minor=6_500, cap=1)


def test_the_freelancer_logs_time_and_the_client_sees_it_live(browser: Browser, asgi_server, artifacts_dir):
    folder = artifacts_dir / "screenshots" / "hourly"
    folder.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    contract = off_the_loop(_contract)
    time_url = f"{asgi_server}/contracts/{contract.pk}/time/"

    harriet = log_in(browser, asgi_server, contract.client, errors)
    harriet.goto(time_url)
    expect(harriet.get_by_text("No time logged this week yet.")).to_be_visible()
    expect(harriet.get_by_role("button", name="Start the timer")).to_have_count(0)  # the client does not log
    shots(harriet, folder, "time-client-empty")

    ana = log_in(browser, asgi_server, contract.freelancer, errors)
    ana.goto(time_url)
    ana.wait_for_timeout(800)  # both websockets connected

    # The timer: started, its clock running on the page.
    ana.get_by_label("What you are working on").fill("Calendar sync")
    ana.get_by_role("button", name="Start the timer").click()
    expect(ana.get_by_text("Timer started.")).to_be_visible()
    clock = ana.locator("[data-clock]")
    first = clock.text_content()
    ana.wait_for_timeout(1_500)
    assert clock.text_content() != first  # it ticks
    expect(harriet.locator("[data-hourly-week]")).to_contain_text("Running")  # live on the client's page
    shots(ana, folder, "time-freelancer-timer")

    # Forty minutes later (the timer is moved back rather than waited for), Ana stops it.
    def earlier():
        RunningTimer.objects.filter(contract=contract).update(
            started_at=timezone.now() - timedelta(minutes=40)
        )

    off_the_loop(earlier)
    ana.reload()
    expect(clock).to_contain_text("0:40:")
    ana.get_by_role("button", name="Stop the timer").click()
    expect(ana.get_by_text("Timer stopped")).to_be_visible()
    week = harriet.locator("[data-hourly-week]")
    expect(week).to_contain_text("Calendar sync")  # the client's page, without a reload
    expect(week).to_contain_text("Timer")

    # By hand: a quarter of an hour that ended five minutes ago, typed on Ana's clock (Lisbon).
    local = (timezone.now() - timedelta(minutes=20)).astimezone(ZoneInfo("Europe/Lisbon"))
    ana.get_by_label("Day", exact=True).fill(local.strftime("%Y-%m-%d"))
    ana.get_by_label("Start", exact=True).fill(local.strftime("%H:%M"))
    ana.get_by_label("Hours", exact=True).fill("0")
    ana.get_by_label("Minutes", exact=True).fill("15")
    ana.get_by_label("What you worked on").fill("Reminder emails")
    ana.get_by_role("button", name="Log time").click()
    expect(ana.get_by_text("Time logged.")).to_be_visible()
    expect(week).to_contain_text("Reminder emails")  # live again
    assert off_the_loop(lambda: TimeEntry.objects.filter(timesheet__contract=contract).count()) >= 2

    # Past the weekly limit of one hour (55 minutes are logged): refused, with what is left.
    earlier_start = (timezone.now() - timedelta(minutes=40)).astimezone(ZoneInfo("Europe/Lisbon"))
    ana.get_by_label("Day", exact=True).fill(earlier_start.strftime("%Y-%m-%d"))
    ana.get_by_label("Start", exact=True).fill(earlier_start.strftime("%H:%M"))
    ana.get_by_label("Hours", exact=True).fill("0")
    ana.get_by_label("Minutes", exact=True).fill("10")
    ana.get_by_label("What you worked on").fill("Too much")
    ana.get_by_role("button", name="Log time").click()
    expect(ana.get_by_text("This would pass the weekly limit of 1 hour: 5 min left").first).to_be_visible()
    shots(ana, folder, "time-freelancer-refused")

    shots(harriet, folder, "time-client-live")
    sheet = off_the_loop(lambda: Timesheet.objects.filter(contract=contract).order_by("-week_start").first())
    harriet.goto(f"{asgi_server}/contracts/{contract.pk}/weeks/{sheet.pk}/")
    expect(harriet.get_by_role("heading", name="Entries")).to_be_visible()
    shots(harriet, folder, "week-client")
    harriet.goto(f"{asgi_server}/contracts/{contract.pk}/")
    expect(harriet.locator("[data-time-summary]")).to_be_visible()
    shots(harriet, folder, "contract-client")
    # The refused entry was answered 409 (the form shown again with the refusal), as it should be.
    assert [e for e in errors if "409 (Conflict)" not in e] == [], errors
