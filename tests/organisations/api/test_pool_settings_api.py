"""The pool settings API: pools, tiers and requirement sets; who may read and write; error codes;
query counts of the pools list at 1 and 50 pools."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.organisations.models import PoolMembership, PoolTier, Requirement, Role, TalentPool
from tests.factories import add_member, make_organisation
from tests.support.api import as_user, assert_error, make_api_key, with_key

from ..pools_support import add_requirement, city, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return make_organisation(name="NE Cabling")


@pytest.fixture
def owner(org):
    return org.memberships.get(role=Role.OWNER).user


def _base(org) -> str:
    return f"/api/organisations/{org.slug}/pools/"


def test_create_read_and_change_a_pool(api, org, owner):
    as_user(owner, api)
    created = api.post(
        _base(org), {"name": "NE Cabling T1", "visibility": "invitees", "on_expiry": "suspend"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["join_policy"] == "invitation"
    assert body["requirements"] == []
    url = f"{_base(org)}{body['id']}/"
    changed = api.patch(url, {"auto_enforce": False}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["auto_enforce"], changed.json()["name"]) == (False, "NE Cabling T1")
    assert_error(api.post(_base(org), {"name": "ne cabling t1"}, format="json"), 409, "pool_name_taken")
    mismatch = api.post(
        _base(org), {"name": "T2", "visibility": "organisation", "join_policy": "apply"}, format="json"
    )
    assert_error(mismatch, 400, "pool_policy_mismatch")


def test_the_pool_with_its_tiers_and_requirements(api, org, owner):
    pool = ne_cabling(org)
    PoolTier.objects.create(pool=pool, name="Preferred", priority=1, pay_rate_minor=6_500)
    join(pool, status=PoolMembership.Status.ACTIVE)
    body = as_user(add_member(org, Role.VIEWER), api).get(f"{_base(org)}{pool.pk}/").json()
    assert body["member_counts"] == {"active": 1}
    assert body["requirement_count"] == 5
    assert [t["name"] for t in body["tiers"]] == ["Preferred"]
    insurance = body["requirements"][2]
    assert insurance["kind"] == "insurance"
    assert insurance["config"]["per_occurrence_minor"] == 100_000_000
    assert insurance["reminder_days"] == [30, 7, 1]
    assert insurance["description"].startswith("General liability insurance ≥ $1,000,000 per occurrence")


def test_tiers(api, org, owner):
    pool = make_pool(org)
    as_user(owner, api)
    tiers = f"{_base(org)}{pool.pk}/tiers/"
    created = api.post(tiers, {"name": "Preferred", "pay_rate_minor": 6_500}, format="json")
    assert created.status_code == 201, created.content
    tier_id = created.json()["id"]
    assert_error(api.post(tiers, {"name": "Preferred"}, format="json"), 409, "tier_name_taken")
    assert api.patch(f"{tiers}{tier_id}/", {"priority": 2}, format="json").json()["priority"] == 2
    member = join(pool, status=PoolMembership.Status.ACTIVE)
    PoolMembership.objects.filter(pk=member.pk).update(tier_id=tier_id)
    assert_error(api.delete(f"{tiers}{tier_id}/"), 409, "tier_in_use")
    assert_error(api.delete(f"{tiers}999999/"), 404, "tier_not_found")
    assert [t["id"] for t in api.get(tiers).json()["results"]] == [tier_id]


def test_requirements(api, org, owner):
    pool = make_pool(org)
    as_user(owner, api)
    rules = f"{_base(org)}{pool.pk}/requirements/"
    travel = api.post(
        rules,
        {"kind": "travel_distance", "config": {"base_city_id": city("Boston").pk, "miles": 50}},
        format="json",
    )
    assert travel.status_code == 201, travel.content
    assert travel.json()["description"] == "Within 50 miles of Boston, US"
    bad = api.post(
        rules, {"kind": "travel_distance", "config": {"base_city_id": 1, "miles": 5}}, format="json"
    )
    error = assert_error(bad, 400, "requirement_invalid")
    assert set(error["fields"]) == {"miles"}
    other_org_pool = make_pool(make_organisation())
    foreign = api.post(
        rules, {"kind": "pool_membership", "config": {"pool_id": other_org_pool.pk}}, format="json"
    )
    assert_error(foreign, 400, "requirement_pool_invalid")
    agreement = api.post(
        rules,
        {
            "kind": "agreement",
            "config": {"title": "NDA", "version": 1, "text": "Secret."},
            "reminder_days": [],
        },
        format="json",
    ).json()
    reworded = api.patch(
        f"{rules}{agreement['id']}/",
        {"config": {"title": "NDA", "version": 1, "text": "Less secret."}},
        format="json",
    )
    assert_error(reworded, 409, "agreement_version_unchanged")
    order = api.post(
        f"{rules}reorder/", {"requirement_ids": [agreement["id"], travel.json()["id"]]}, format="json"
    )
    assert [r["kind"] for r in order.json()] == ["agreement", "travel_distance"]
    assert_error(
        api.post(f"{rules}reorder/", {"requirement_ids": [agreement["id"]]}, format="json"),
        400,
        "requirements_order_invalid",
    )
    assert api.delete(f"{rules}{travel.json()['id']}/").status_code == 204
    assert list(Requirement.objects.filter(pool=pool).values_list("kind", flat=True)) == ["agreement"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OWNER, 201),
        (Role.ADMIN, 201),
        (Role.HIRING_MANAGER, 403),
        (Role.FINANCE, 403),
        (Role.VIEWER, 403),
    ],
)
def test_who_may_add_a_requirement(api, org, role, status):
    pool = make_pool(org)
    user = org.memberships.get(role=Role.OWNER).user if role == Role.OWNER else add_member(org, role)
    response = as_user(user, api).post(
        f"{_base(org)}{pool.pk}/requirements/",
        {"kind": "tax_form", "config": {"forms": ["w9"]}},
        format="json",
    )
    assert response.status_code == status, response.content
    if status == 403:
        assert_error(response, 403, "role_forbids")
    assert Requirement.objects.filter(pool=pool).count() == (1 if status == 201 else 0)
    # Everyone of them reads it.
    assert api.get(f"{_base(org)}{pool.pk}/requirements/").status_code == 200


def test_api_keys_read_their_own_organisation_only_and_never_write(api, org):
    pool = make_pool(org)
    with_key(api, make_api_key(org))
    assert api.get(f"{_base(org)}{pool.pk}/").status_code == 200
    assert_error(
        api.patch(f"{_base(org)}{pool.pk}/", {"name": "Keyed"}, format="json"), 403, "api_key_read_only"
    )
    other = make_organisation()
    assert_error(api.get(_base(other)), 404, "organisation_not_found")
    # Another organisation's pool id under our slug is not found either.
    theirs = make_pool(other)
    assert_error(api.get(f"{_base(org)}{theirs.pk}/"), 404, "pool_not_found")


def test_outsiders_get_404(api, org):
    pool = make_pool(org)
    outsider = make_organisation().memberships.get().user
    as_user(outsider, api)
    assert_error(api.get(f"{_base(org)}{pool.pk}/"), 404, "organisation_not_found")
    assert_error(
        api.patch(f"{_base(org)}{pool.pk}/", {"name": "Mine"}, format="json"), 404, "organisation_not_found"
    )
    assert TalentPool.objects.get(pk=pool.pk).name == "NE Cabling T1"


def _count(api, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("reader", ["member", "key"])
def test_the_pools_list_makes_the_same_number_of_queries_for_1_and_50_pools(api, org, reader):
    if reader == "key":
        with_key(api, make_api_key(org))
    else:
        as_user(add_member(org, Role.VIEWER), api)

    def fill(pool):
        PoolTier.objects.create(pool=pool, name="Preferred")
        add_requirement(pool, "background_check")
        join(pool, status=PoolMembership.Status.ACTIVE)

    def grow(n):
        for index in range(TalentPool.objects.filter(organisation=org).count(), n):
            fill(make_pool(org, name=f"Pool {index:02}"))

    fill(TalentPool.objects.get(organisation=org, is_default=True))

    grow(1)
    url = f"{_base(org)}?page_size=100"
    api.get(url)
    one = _count(api, url)
    grow(50)
    assert _count(api, url) == one
    assert api.get(url).json()["count"] == 50
