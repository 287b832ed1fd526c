"""Staff's /ops/ in a browser: the search section with updates waiting after a failure and the
reconciler's latest report, desktop and 390 px without sideways scrolling. Screenshots: ``ops-search-*``."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, expect

from search.models import PendingIndexUpdate, ReconcileRun
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import make_user

ERROR = "ConnectionError(Connection refused) caused by: NewConnectionError(127.0.0.1:9200)"


def _story() -> None:
    make_user(staff=True, email="ops@example.com")
    now = timezone.now()
    for object_id in (11, 12):
        PendingIndexUpdate.objects.create(index="talent", object_id=object_id)
    PendingIndexUpdate.objects.filter(object_id=11).update(
        queued_at=now - timedelta(minutes=7), attempts=3, last_error=ERROR
    )
    ReconcileRun.objects.create(
        started_at=now - timedelta(minutes=20),
        finished_at=now - timedelta(minutes=19),
        counts={
            "talent": {"indexable": 50, "held": 49, "missing": 1, "stale": 2, "extra": 0},
            "jobs": {"indexable": 8, "held": 9, "missing": 0, "stale": 0, "extra": 1},
        },
    )


def test_staff_see_what_waits_for_the_search_engine(browser: Browser, asgi_server: str, artifacts_dir: Path):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_story).result()
    errors: list[str] = []
    staff = Person(browser, base, shots, errors)
    staff.page.goto(f"{base}/accounts/login/?next=/ops/")
    staff.log_in("ops@example.com")
    section = staff.page.locator("[data-ops-search]")
    expect(section.locator("[data-search-check]")).to_contain_text("Answers")
    expect(section.locator("[data-search-pending]")).to_contain_text("talent 2")
    expect(section.locator("[data-search-error]")).to_contain_text("after 3 attempts")
    expect(section.locator("[data-search-reconcile]")).to_contain_text("1 missing, 2 stale")
    section.scroll_into_view_if_needed()
    staff.shot("ops-search-desktop")
    phone_shot(staff, "ops-search")
    assert errors == []
