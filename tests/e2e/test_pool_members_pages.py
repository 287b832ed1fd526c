"""A hiring manager works the NE Cabling pool in the browser: filters the member list, opens a member
whose $950k certificate fails the $1M minimum (red rules), approves that one rule with a reason and sees
the member reinstated; then the review queue. Screenshots at 1280 and 390 px in
artifacts/screenshots/pool-members-*.png."""

from datetime import date

import pytest
from playwright.sync_api import Browser, expect

from marketplace.organisations.models import Credential, PoolMembership, PoolOverride, PoolTier
from marketplace.organisations.services.lifecycle import membership_reevaluate
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, add_member, make_freelancer
from tests.organisations.members_support import located, meets_ne_cabling
from tests.organisations.pools_support import credential, join, ne_cabling

Status = PoolMembership.Status


def _world():
    pool = ne_cabling()
    org = pool.organisation
    manager = add_member(org, "hiring_manager")
    preferred = PoolTier.objects.create(pool=pool, name="Preferred", priority=1)
    ada = join(pool, make_freelancer(full_name="Ada Active"), Status.ACTIVE)
    meets_ne_cabling(ada, expires_on=date(2027, 1, 5))
    PoolMembership.objects.filter(pk=ada.pk).update(tier=preferred)
    # Suspended by the rules, then a $950k certificate uploaded: the rule to approve.
    sam = join(pool, make_freelancer(full_name="Sam Suspended"), Status.SUSPENDED)
    PoolMembership.objects.filter(pk=sam.pk).update(suspended_by_rules=True)
    meets_ne_cabling(sam, insurance_minor=95_000_000, status="verified")
    bob = join(pool, make_freelancer(full_name="Bob Behind"))
    meets_ne_cabling(bob, status="pending")
    located(bob.freelancer, "New York City")
    rita = join(pool, make_freelancer(full_name="Rita Review"))
    meets_ne_cabling(rita, status="pending")
    credential(rita.freelancer, org, "drug_test", issued_on=date(2026, 11, 1), status="pending")
    otto = join(pool, make_freelancer(full_name="Otto Override"))
    PoolOverride.objects.create(membership=otto, request_reason="Drug test booked for next Tuesday")
    PoolMembership.objects.filter(pk=otto.pk).update(status=Status.OVERRIDE_REQUESTED)
    for m in (ada, sam, bob, rita, otto):
        membership_reevaluate(m.pk)
    assert Credential.objects.filter(status="pending").exists()
    return pool, manager, sam


def _shot(page, artifacts_dir, name):
    folder = artifacts_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    width = page.viewport_size["width"]
    page.screenshot(path=folder / f"pool-members-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_manager_filters_opens_a_red_member_approves_the_rule_and_works_the_queue(
    asgi_server, browser: Browser, artifacts_dir, viewport
):
    pool, manager, sam = _world()
    slug = pool.organisation.slug
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{asgi_server}/accounts/login/")
    page.get_by_label("Email", exact=True).fill(manager.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto(f"{asgi_server}/organisations/{slug}/pools/{pool.pk}/members/")
    expect(page.get_by_role("heading", name="NE Cabling T1: members")).to_be_visible()
    page.get_by_label("Suspended").check()
    page.get_by_label("Awaiting requirements").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Sam Suspended")).to_be_visible()
    expect(page.get_by_role("link", name="Ada Active")).to_have_count(0)
    _shot(page, artifacts_dir, "list")

    page.get_by_role("link", name="Sam Suspended").click()
    expect(page.get_by_text("The certificate shows $950,000 per occurrence")).to_be_visible()
    _shot(page, artifacts_dir, "detail")
    rule = page.locator(".pm-rule--fail").filter(has_text="Insurance certificate")
    rule.get_by_text("Approve this rule").click()
    rule.get_by_label("Why it is acceptable").fill("Umbrella policy covers the $50k gap")
    rule.get_by_role("button", name="Approve the rule").click()
    expect(page.get_by_text("The rule is approved for this member.")).to_be_visible()
    expect(page.locator(".panel-head .badge").first).to_have_text("Active")
    assert PoolMembership.objects.get(pk=sam.pk).status == Status.ACTIVE

    page.goto(f"{asgi_server}/organisations/{slug}/pools/review/?section=credentials")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    _shot(page, artifacts_dir, "review")
    context.close()
