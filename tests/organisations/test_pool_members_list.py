"""The pool managers' member list (page, CSV, API): each filter with a member it keeps and one it
drops, what each role sees, and the same number of queries at 1 and at 200 members."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.organisations.models import PoolMembership, PoolTier
from marketplace.organisations.services.evaluation import memberships_evaluate
from tests.factories import make_freelancer

from .members_support import located, meets_ne_cabling, staff_of
from .pools_support import join, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


@pytest.fixture
def pool():
    return ne_cabling()


@pytest.fixture
def people(pool):
    return staff_of(pool.organisation)


@pytest.fixture
def members(pool):
    """ada: active, preferred tier, insurance lapsing in 20 days. bob: awaiting the requirements,
    $950k of cover and 190 miles away."""
    ada = join(pool, make_freelancer(full_name="Ada Active"), Status.ACTIVE)
    meets_ne_cabling(ada, expires_on=timezone.localdate() + timedelta(days=20))
    preferred = PoolTier.objects.create(pool=pool, name="Preferred", priority=1)
    PoolMembership.objects.filter(pk=ada.pk).update(tier=preferred)
    bob = join(pool, make_freelancer(full_name="Bob Behind"))
    meets_ne_cabling(bob, insurance_minor=95_000_000)
    located(bob.freelancer, "New York City")
    memberships_evaluate([ada, bob])
    return {"ada": ada, "bob": bob, "preferred": preferred}


def _api(client, user, pool, **params):
    client.force_login(user)
    url = reverse("api:pool-members", args=[pool.organisation.slug, pool.pk])
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def _names(body):
    return {row["worker"]["full_name"] for row in body["results"]}


@pytest.mark.parametrize(
    ("params", "kept", "dropped"),
    [
        ({"status": "active"}, "Ada Active", "Bob Behind"),
        ({"status": "awaiting_requirements"}, "Bob Behind", "Ada Active"),
        ({"tier": "preferred"}, "Ada Active", "Bob Behind"),
        ({"failing_rule": "travel_distance"}, "Bob Behind", "Ada Active"),
        ({"failing_rule": "insurance"}, "Bob Behind", "Ada Active"),
        ({"expiring_within": 30}, "Ada Active", "Bob Behind"),
        ({"q": "behind"}, "Bob Behind", "Ada Active"),
    ],
)
def test_each_filter_keeps_one_member_and_drops_the_other(
    client, pool, people, members, params, kept, dropped
):
    if params.get("tier"):
        params = {"tier": members["preferred"].pk}
    if params.get("failing_rule"):
        params = {"failing_rule": pool.requirements.get(kind=params["failing_rule"]).pk}
    body = _api(client, people["viewer"], pool, **params)
    assert kept in _names(body)
    assert dropped not in _names(body)
    assert _names(_api(client, people["viewer"], pool)) == {"Ada Active", "Bob Behind"}


def test_expiring_window_too_short_drops_the_member(client, pool, people, members):
    assert _names(_api(client, people["viewer"], pool, expiring_within=10)) == set()


def test_rows_name_the_failing_rules_and_only_managers_see_addresses_and_evidence(
    client, pool, people, members
):
    body = _api(client, people["viewer"], pool, q="bob")
    (row,) = body["results"]
    assert row["failing_count"] == 2
    assert "$950,000 per occurrence" in row["first_failing_reason"]
    assert row["worker"]["email"] is None
    bob_email = members["bob"].freelancer.email
    assert _names(_api(client, people["viewer"], pool, q=bob_email)) == set()
    (row,) = _api(client, people["hiring_manager"], pool, q=bob_email)["results"]
    assert row["worker"]["email"] == bob_email

    detail = reverse("api:pool-member", args=[pool.organisation.slug, pool.pk, members["bob"].pk])
    client.force_login(people["viewer"])
    seen = client.get(detail).json()
    assert seen["credentials"] is None
    assert all(r["evidence"] is None for r in seen["results"])
    assert any("$950,000" in r["reason"] for r in seen["results"])
    client.force_login(people["admin"])
    managed = client.get(detail).json()
    assert {c["kind"] for c in managed["credentials"]} == {"tax_form", "insurance", "background_check"}
    assert any(r["evidence"] for r in managed["results"])


def test_the_page_shows_the_filters_and_the_failing_reason(client, pool, people, members):
    client.force_login(people["finance"])
    url = reverse("frontend:pool_members", args=[pool.organisation.slug, pool.pk])
    page = client.get(url, {"status": ["awaiting_requirements", "suspended"]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bob Behind" in html
    assert "Ada Active" not in html
    assert "$950,000 per occurrence" in html
    assert "Add a worker" not in html  # finance does not manage the pool
    client.force_login(people["hiring_manager"])
    assert "Add a worker" in client.get(url).content.decode()


def test_csv_has_the_filtered_rows_and_a_column_per_rule(client, pool, people, members):
    client.force_login(people["owner"])
    url = reverse("frontend:pool_members_csv", args=[pool.organisation.slug, pool.pk])
    response = client.get(url, {"status": "awaiting_requirements"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, *lines = rows
    assert header[:4] == ["Name", "Handle", "Email", "Status"]
    assert "Insurance certificate: General liability" in header
    assert "Travel distance" in header
    assert len(lines) == 1
    bob = dict(zip(header, lines[0], strict=True))
    assert bob["Name"] == "Bob Behind"
    assert bob["Failing rules"] == "2"
    assert bob["Insurance certificate: General liability"] == "Fail"
    assert bob["Tax form: W-9"] == "Pass"
    client.force_login(people["viewer"])
    viewer_rows = list(csv.reader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    assert "Email" not in viewer_rows[0]
    assert len(viewer_rows) == 3


def _members_in(pool, count):
    for _ in range(count):
        membership = join(pool, located(make_freelancer()))
        PoolMembership.objects.filter(pk=membership.pk).update(status=Status.ACTIVE)
    memberships_evaluate(list(PoolMembership.objects.filter(pool=pool).select_related("pool")))


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_the_list_takes_the_same_queries_for_1_and_200_members(client, pool, people):
    client.force_login(people["hiring_manager"])
    page_url = reverse("frontend:pool_members", args=[pool.organisation.slug, pool.pk])
    api_url = reverse("api:pool-members", args=[pool.organisation.slug, pool.pk])
    csv_url = reverse("frontend:pool_members_csv", args=[pool.organisation.slug, pool.pk])
    _members_in(pool, 1)
    client.get(page_url)  # the session's first request reads more
    one = [_queries(client, url, page_size=100) for url in (page_url, api_url, csv_url)]
    _members_in(pool, 199)
    assert PoolMembership.objects.filter(pool=pool).count() == 200
    many = [_queries(client, url, page_size=100) for url in (page_url, api_url, csv_url)]
    assert many == one  # the CSV's 200 rows are one chunk
    assert len(b"".join(client.get(csv_url).streaming_content).decode().splitlines()) == 201
