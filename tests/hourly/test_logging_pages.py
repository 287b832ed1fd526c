"""The time pages: the freelancer logs by hand (on their own clock) and with the timer; refusals are
shown on the form; the client side reads the same page without the controls and may not post; the
week fragment the live refresh asks for; a fixed-price contract has no time page."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from marketplace.hourly.models import RunningTimer, TimeEntry
from tests.factories import make_contract, make_freelancer
from tests.hourly.logging_support import close_week, hourly_contract, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 2, 15, 0)


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_the_freelancer_logs_by_hand_on_their_own_clock():
    contract = hourly_contract(timezone="Asia/Tokyo", cap=2)  # UTC+9
    url = f"/contracts/{contract.pk}/time/"
    page = _as(contract.freelancer).get(url)
    assert page.status_code == 200
    assert b"No time logged this week yet." in page.content
    assert b"No past weeks yet." in page.content
    form = {"day": "2026-12-02", "start_time": "21:00", "hours": "1", "minutes": "30", "memo": "Sync"}
    done = _as(contract.freelancer).post(url, form)
    assert done.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.started_at == utc(2026, 12, 2, 12, 0)  # 21:00 in Tokyo
    assert entry.minutes == 90
    refused = _as(contract.freelancer).post(url, {**form, "start_time": "22:00", "minutes": "31"})
    assert refused.status_code == 409
    assert "30 min left" in refused.content.decode()
    future = _as(contract.freelancer).post(url, {**form, "start_time": "23:50"})
    assert future.status_code == 400
    assert "ends in the future" in future.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_timer_from_the_page():
    contract = hourly_contract()
    freelancer = _as(contract.freelancer)
    timer_url = f"/contracts/{contract.pk}/time/timer/"
    assert freelancer.post(timer_url, {"action": "start", "memo": "Reminders"}).status_code == 302
    page = freelancer.get(f"/contracts/{contract.pk}/time/")
    assert b"data-running-since" in page.content
    assert b"Stop the timer" in page.content
    RunningTimer.objects.update(started_at=NOW - timedelta(minutes=25))
    assert freelancer.post(timer_url, {"action": "stop"}).status_code == 302
    assert TimeEntry.objects.get().minutes == 25


@time_machine.travel(NOW, tick=False)
def test_the_client_reads_without_controls_and_may_not_post():
    contract = hourly_contract()
    close_week(contract, utc(2026, 11, 23).date())
    client = _as(contract.client)
    page = client.get(f"/contracts/{contract.pk}/time/")
    assert page.status_code == 200
    assert b"Start the timer" not in page.content
    assert b"Log time by hand" not in page.content
    assert b"No hours" in page.content  # the past week, with its state
    form = {"day": "2026-12-02", "start_time": "09:00", "hours": "1", "minutes": "0", "memo": "x"}
    assert client.post(f"/contracts/{contract.pk}/time/", form).status_code == 403
    assert client.post(f"/contracts/{contract.pk}/time/timer/", {}).status_code == 403
    assert not TimeEntry.objects.exists()
    fragment = client.get(f"/contracts/{contract.pk}/time/?part=week")
    assert fragment.status_code == 200
    assert b"data-hourly-week" in fragment.content
    assert b"<html" not in fragment.content
    assert _as(make_freelancer()).get(f"/contracts/{contract.pk}/time/").status_code == 404
    detail = client.get(f"/contracts/{contract.pk}/")
    assert b"data-time-summary" in detail.content


def test_a_fixed_price_contract_has_no_time_page():
    contract = make_contract(milestones=[10_000])
    assert _as(contract.freelancer).get(f"/contracts/{contract.pk}/time/").status_code == 404
    assert b"data-time-summary" not in _as(contract.freelancer).get(f"/contracts/{contract.pk}/").content
