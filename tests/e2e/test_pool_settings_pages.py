"""Pool settings in a browser: the organisation's pools, NE Cabling T1's settings with the issue's full
requirement set, adding a rule with the kind's fields loaded in place (htmx) and the city picker,
moving a rule; desktop and 390 px. Screenshots: ``pool-settings-*``."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.organisations.models import PoolMembership, PoolTier, Role, TalentPool
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import add_member, make_client, make_organisation
from tests.organisations.pools_support import add_requirement, join, make_pool, ne_cabling

Status = PoolMembership.Status


def _story():
    olive = make_client(email="olive@example.com", full_name="Olive Owner")
    org = make_organisation(owner=olive, name="Northeast Fibre")
    vera = add_member(org, Role.VIEWER, make_client(email="vera@example.com", full_name="Vera Viewer"))
    pool = ne_cabling(org)
    pool.description = "Fibre and low-voltage cabling crews across New England."
    pool.save(update_fields=["description"])
    add_requirement(pool, "on_time_rate", min_percent=90)
    PoolTier.objects.create(pool=pool, name="Preferred", priority=1, pay_rate_minor=6_500)
    PoolTier.objects.create(pool=pool, name="Standard", priority=2, pay_rate_minor=5_200)
    for status, n in ((Status.ACTIVE, 3), (Status.AWAITING_REVIEW, 1), (Status.AWAITING_REQUIREMENTS, 2)):
        for _ in range(n):
            join(pool, status=status)
    join(pool, status=Status.SUSPENDED)
    second = make_pool(
        org,
        name="Boston data centre crews",
        visibility=TalentPool.Visibility.PUBLIC,
        join_policy=TalentPool.JoinPolicy.APPLY,
    )
    add_requirement(second, "pool_membership", pool_id=pool.pk)
    return olive, vera, org, pool


def test_pool_settings_pages(browser: Browser, asgi_server: str, artifacts_dir: Path):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(1) as executor:
        olive, vera, org, pool = executor.submit(_story).result()
    errors: list[str] = []

    owner = Person(browser, base, shots, errors)
    owner.page.goto(f"{base}/organisations/{org.slug}/pools/")
    owner.log_in(olive.email)
    main = owner.page.locator("main")
    expect(main).to_contain_text("NE Cabling T1")
    expect(main).to_contain_text("Invited workers see it · joined by invitation")
    expect(main).to_contain_text("Active 3")
    owner.shot("pool-settings-list-desktop")
    phone_shot(owner, "pool-settings-list")

    main.get_by_role("link", name="NE Cabling T1").click()
    expect(main).to_contain_text(
        "General liability insurance ≥ $1,000,000 per occurrence and $2,000,000 aggregate; "
        "reminders 30, 7, 1 days before expiry"
    )
    expect(main).to_contain_text("Within 50 miles of Boston, US")
    expect(main).to_contain_text("On-time rate ≥ 90 %")
    owner.shot("pool-settings-pool-desktop")
    phone_shot(owner, "pool-settings-pool")

    # Add a drug test rule: the kind's fields come in place, no second page.
    main.get_by_label("Kind of requirement").select_option("drug_test")
    age = main.get_by_label("Maximum age in days")
    expect(age).to_be_visible()
    age.fill("90")
    main.get_by_label("Remind the worker, days before expiry").fill("14, 1")
    main.get_by_role("button", name="Add requirement").click()
    expect(main).to_contain_text("Drug test ≤ 90 days old; reminders 14, 1 days before expiry")

    # Move it up one place.
    main.get_by_role("button", name=re.compile("Move .Drug test.* up")).click()
    rules = main.locator(".rule__sentence")
    expect(rules.nth(5)).to_contain_text("Drug test")

    # A travel rule: the base city comes from the city search.
    main.get_by_label("Kind of requirement").select_option("travel_distance")
    city = main.get_by_role("searchbox", name="City")
    city.fill("Worcester")
    main.locator("[data-city-id]").first.click()
    main.get_by_label("Radius in miles").fill("25")
    main.get_by_role("button", name="Add requirement").click()
    expect(main).to_contain_text("Within 25 miles of Worcester, US")

    # The agreement's edit page, shot with its warning.
    main.get_by_role("link", name=re.compile("Edit .*Contractor agreement")).click()
    expect(main).to_contain_text("Workers signed version 3")
    owner.shot("pool-settings-agreement-desktop")
    phone_shot(owner, "pool-settings-agreement")

    viewer = Person(browser, base, shots, errors)
    viewer.page.goto(f"{base}/organisations/{org.slug}/pools/{pool.pk}/")
    viewer.log_in(vera.email)
    expect(viewer.page.locator("main")).to_contain_text("You can read this pool's settings")
    viewer.shot("pool-settings-readonly-desktop")
    phone_shot(viewer, "pool-settings-readonly")
    assert errors == []
