"""The pool settings pages: the pools list, a new pool, a pool's settings with tiers and its
requirement editor (add in two steps or with htmx, edit, remove, move), read-only for other roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.organisations.models import PoolMembership, PoolTier, Requirement, Role, TalentPool
from marketplace.organisations.services.requirements import requirement_add
from tests.factories import add_member, make_organisation

from .pools_support import add_requirement, city, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


@pytest.fixture
def org():
    return make_organisation(name="NE Cabling")


@pytest.fixture
def owner(org):
    return org.memberships.get(role=Role.OWNER).user


def _url(name, org, *args):
    return reverse(f"frontend:{name}", args=[org.slug, *args])


def test_pools_list_shows_each_pool_as_a_card(client, org, owner):
    pool = ne_cabling(org)
    join(pool, status=Status.ACTIVE)
    join(pool, status=Status.AWAITING_REVIEW)
    PoolTier.objects.create(pool=pool, name="Preferred", priority=1)
    client.force_login(owner)
    page = client.get(_url("organisation_pools", org)).content.decode()
    assert "NE Cabling T1" in page
    assert "Invited workers see it · joined by invitation" in page
    assert "Active 1" in page
    assert "Awaiting review 1" in page
    assert "5 rules" in page
    assert "Preferred" in page
    assert "New pool" in page
    assert 'href="/organisations/ne-cabling/pools/"' in page  # the tab


def test_other_roles_read_without_controls(client, org):
    pool = ne_cabling(org)
    viewer = add_member(org, Role.HIRING_MANAGER)
    client.force_login(viewer)
    assert "New pool" not in client.get(_url("organisation_pools", org)).content.decode()
    page = client.get(_url("organisation_pool_settings", org, pool.pk)).content.decode()
    assert "You can read this pool's settings" in page
    assert "General liability insurance ≥ $1,000,000 per occurrence" in page
    assert "Save settings" not in page
    assert "Add a requirement" not in page
    assert client.get(_url("organisation_pool_new", org)).status_code == 403
    response = client.post(_url("organisation_pool_settings", org, pool.pk), {"name": "Mine"})
    assert response.status_code == 403
    pool.refresh_from_db()
    assert pool.name == "NE Cabling T1"


def test_create_a_pool(client, org, owner):
    client.force_login(owner)
    response = client.post(
        _url("organisation_pool_new", org),
        {
            "name": "NE Cabling T2",
            "visibility": "public",
            "join_policy": "apply",
            "auto_enforce": "on",
            "on_expiry": "flag",
        },
    )
    pool = TalentPool.objects.get(organisation=org, name="NE Cabling T2")
    assert response.status_code == 302
    assert response["Location"] == _url("organisation_pool_settings", org, pool.pk)
    settings = (pool.visibility, pool.join_policy, pool.auto_enforce, pool.on_expiry)
    assert settings == ("public", "apply", True, "flag")
    refused = client.post(
        _url("organisation_pool_new", org),
        {"name": "Hidden", "visibility": "organisation", "join_policy": "apply", "on_expiry": "flag"},
    )
    assert refused.status_code == 400
    assert "Workers cannot apply to a pool that only the organisation sees" in refused.content.decode()


def test_update_settings(client, org, owner):
    pool = make_pool(org)
    client.force_login(owner)
    response = client.post(
        _url("organisation_pool_settings", org, pool.pk),
        {
            "name": "NE Cabling Tier 1",
            "visibility": "invitees",
            "join_policy": "invitation",
            "on_expiry": "remove",
        },
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.name, pool.auto_enforce, pool.on_expiry) == ("NE Cabling Tier 1", False, "remove")


def test_tiers_in_dollars(client, org, owner):
    pool = make_pool(org)
    client.force_login(owner)
    response = client.post(
        _url("organisation_pool_tier_add", org, pool.pk),
        {
            "tier-new-name": "Preferred",
            "tier-new-priority": "1",
            "tier-new-pay_rate": "65.50",
            "tier-new-currency": "USD",
        },
    )
    assert response.status_code == 302
    tier = PoolTier.objects.get(pool=pool)
    assert tier.pay_rate_minor == 6_550
    page = client.get(_url("organisation_pool_settings", org, pool.pk)).content.decode()
    assert "65.50 USD/h" in page
    edit = client.post(
        _url("organisation_pool_tier_edit", org, pool.pk, tier.pk),
        {
            f"tier-{tier.pk}-name": "Preferred",
            f"tier-{tier.pk}-priority": "0",
            f"tier-{tier.pk}-currency": "USD",
        },
    )
    assert edit.status_code == 400  # shown again, open, under its row
    assert f'id="id_tier-{tier.pk}-priority"' in edit.content.decode()
    PoolMembership.objects.filter(pk=join(pool, status=Status.ACTIVE).pk).update(tier=tier)
    in_use = client.post(_url("organisation_pool_tier_remove", org, pool.pk, tier.pk))
    assert in_use.status_code == 409
    assert "Move them to another tier" in in_use.content.decode()


def test_add_an_insurance_rule_in_two_steps_money_in_dollars(client, org, owner):
    pool = make_pool(org)
    client.force_login(owner)
    new = _url("organisation_pool_requirement_new", org, pool.pk)
    step_one = client.get(new, {"kind": "insurance"})
    assert step_one.status_code == 200
    assert "Minimum per occurrence ($)" in step_one.content.decode()
    partial = client.get(new, {"kind": "insurance"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    response = client.post(
        new,
        {
            "kind": "insurance",
            "coverage": "general_liability",
            "per_occurrence_minor": "1000000",
            "aggregate_minor": "2,000,000".replace(",", ""),
            "reminder_days": "30, 7, 1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    rule = Requirement.objects.get(pool=pool)
    assert rule.config == {
        "coverage": "general_liability",
        "per_occurrence_minor": 100_000_000,
        "aggregate_minor": 200_000_000,
    }
    assert rule.reminder_days == [30, 7, 1]


def test_travel_rule_with_the_city_picker_and_its_errors(client, org, owner):
    pool = make_pool(org)
    client.force_login(owner)
    new = _url("organisation_pool_requirement_new", org, pool.pk)
    page = client.get(new, {"kind": "travel_distance"}).content.decode()
    assert "data-city-picker" in page
    too_far = client.post(new, {"kind": "travel_distance", "city": city("Boston").pk, "miles": "150"})
    assert too_far.status_code == 400
    assert "Boston, US" in too_far.content.decode()  # the chosen city is kept
    fifty = {"kind": "travel_distance", "city": city("Boston").pk, "miles": "50"}
    assert client.post(new, fifty).status_code == 302
    assert Requirement.objects.get(pool=pool).config == {"base_city_id": city("Boston").pk, "miles": 50}


def test_edit_an_agreement_needs_a_new_version(client, org, owner):
    pool = make_pool(org)
    rule = requirement_add(
        acting_user=owner,
        pool=pool,
        kind="agreement",
        config={"title": "Contractor agreement", "version": 3, "text": "I agree."},
    )
    client.force_login(owner)
    edit = _url("organisation_pool_requirement_edit", org, pool.pk, rule.pk)
    assert "Workers signed version 3" in client.get(edit).content.decode()
    refused = client.post(edit, {"title": "Contractor agreement", "version": "3", "text": "I agree to more."})
    assert refused.status_code == 409
    assert "raise the version" in refused.content.decode()
    raised = {"title": "Contractor agreement", "version": "4", "text": "I agree to more."}
    assert client.post(edit, raised).status_code == 302
    rule.refresh_from_db()
    assert rule.config["version"] == 4


def test_move_and_remove(client, org, owner):
    pool = make_pool(org)
    first = add_requirement(pool, "tax_form", forms=["w9"])
    second = add_requirement(pool, "background_check")
    client.force_login(owner)
    move = _url("organisation_pool_requirement_move", org, pool.pk, second.pk)
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert list(pool.requirements.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert client.post(move, {"direction": "sideways"}).status_code == 400
    remove = _url("organisation_pool_requirement_remove", org, pool.pk, first.pk)
    assert client.post(remove).status_code == 302
    assert list(pool.requirements.values_list("pk", flat=True)) == [second.pk]


def test_another_organisations_pool_is_not_found(client, org, owner):
    theirs = make_pool(make_organisation())
    client.force_login(owner)
    assert client.get(_url("organisation_pool_settings", org, theirs.pk)).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_pools_page_makes_the_same_number_of_queries_for_1_and_50_pools(client, org, owner):
    client.force_login(owner)
    url = _url("organisation_pools", org)

    def fill(pool):
        PoolTier.objects.create(pool=pool, name="Preferred")
        add_requirement(pool, "background_check")
        join(pool, status=PoolMembership.Status.ACTIVE)

    def grow(n):
        for index in range(TalentPool.objects.filter(organisation=org).count(), n):
            fill(make_pool(org, name=f"Pool {index:02}"))

    fill(TalentPool.objects.get(organisation=org, is_default=True))

    grow(1)
    client.get(url)  # warm caches (session, content types)
    one = _queries(client, url)
    grow(50)
    assert _queries(client, url) == one


def test_the_settings_page_makes_the_same_number_of_queries_for_1_and_30_rules(client, org, owner):
    pool = make_pool(org)
    client.force_login(owner)
    url = _url("organisation_pool_settings", org, pool.pk)
    add_requirement(pool, "travel_distance", base_city_id=city("Boston").pk, miles=50)
    PoolTier.objects.create(pool=pool, name="T0")
    client.get(url)
    one = _queries(client, url)
    for index in range(29):
        add_requirement(pool, "travel_distance", base_city_id=city("Boston").pk, miles=10 + index)
    for index in range(1, 10):
        PoolTier.objects.create(pool=pool, name=f"T{index}")
    assert _queries(client, url) == one
