"""The role matrix of the pool managers' actions through the API: owners, admins and hiring managers
act (the positive controls); finance and viewers get 403; another organisation's owner, the worker
and a freelancer with no tie get 404; the organisation's API key may not write. Each actor's attempt
runs in a savepoint that is rolled back, so every role meets the same member."""

from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from marketplace.organisations.models import Credential, PoolMembership, PoolOverride, PoolTier
from marketplace.organisations.services.lifecycle import membership_reevaluate
from marketplace.organisations.services.organisations import api_key_create
from tests.factories import add_member, make_freelancer, make_organisation

from .members_support import meets_ne_cabling, staff_of
from .pools_support import credential, join, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status
ALLOWED = {"owner", "admin", "hiring_manager"}
FORBIDDEN = {"finance", "viewer"}
OUTSIDERS = {"other_owner", "worker", "stranger"}


def _member(pool, status, credentials="verified", **kwargs):
    membership = join(pool, status=status)
    meets_ne_cabling(membership, status=credentials, **kwargs)
    return membership


def _setup(action: str, pool):
    """(url, body, success status) for one action on a member in the state it needs."""
    slug, org = pool.organisation.slug, pool.organisation

    def member_url(membership, tail=""):
        return reverse("api:pool-member", args=[slug, pool.pk, membership.pk]) + tail

    if action == "approve":
        m = _member(pool, Status.AWAITING_REQUIREMENTS, credentials="pending")
        membership_reevaluate(m.pk)
        return member_url(m, "approve/"), {}, 200, m
    if action == "send-back":
        m = _member(pool, Status.AWAITING_REQUIREMENTS, credentials="pending")
        membership_reevaluate(m.pk)
        return member_url(m, "send-back/"), {"reason": "Blurry"}, 200, m
    if action in ("suspend", "remove"):
        m = _member(pool, Status.ACTIVE)
        return member_url(m, f"{action}/"), {"reason": "No-show"}, 200, m
    if action == "reinstate":
        m = _member(pool, Status.SUSPENDED)
        return member_url(m, "reinstate/"), {}, 200, m
    if action == "tier":
        m = _member(pool, Status.ACTIVE)
        tier = PoolTier.objects.create(pool=pool, name="Preferred")
        return member_url(m, "tier/"), {"tier": tier.pk}, 200, m
    if action == "rule":
        m = _member(pool, Status.AWAITING_REQUIREMENTS, insurance_minor=95_000_000)
        membership_reevaluate(m.pk)
        rule = pool.requirements.get(kind="insurance")
        return member_url(m, f"rules/{rule.pk}/approve/"), {"reason": "Umbrella cover"}, 200, m
    if action in ("grant", "deny"):
        m = _member(pool, Status.OVERRIDE_REQUESTED)
        override = PoolOverride.objects.create(membership=m, request_reason="Soon")
        body = {"reason": "Known crew", "days": 30}
        return member_url(m, f"overrides/{override.pk}/{action}/"), body, 200, m
    if action in ("verify", "reject"):
        m = _member(pool, Status.AWAITING_REQUIREMENTS)
        pending = credential(m.freelancer, org, "drug_test", issued_on=date(2026, 11, 1), status="pending")
        url = reverse(f"api:credential-{action}", args=[slug, pending.pk])
        return url, {"reason": "Checked"}, 200, m
    if action == "add":
        worker = make_freelancer()
        url = reverse("api:pool-members", args=[slug, pool.pk])
        return url, {"freelancer_handle": worker.freelancer_profile.handle}, 201, None
    if action == "queue":
        return reverse("api:pool-review", args=[slug]), None, 200, None
    raise AssertionError(action)


ACTIONS = [
    "approve",
    "send-back",
    "suspend",
    "reinstate",
    "remove",
    "tier",
    "rule",
    "grant",
    "deny",
    "verify",
    "reject",
    "add",
    "queue",
]


def _ask(client, url, body):
    with transaction.atomic():
        if body is None:
            response = client.get(url)
        else:
            response = client.post(url, body, content_type="application/json")
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("action", ACTIONS)
def test_role_matrix(action):
    pool = ne_cabling()
    people = staff_of(pool.organisation)
    url, body, success, membership = _setup(action, pool)
    before = PoolMembership.objects.get(pk=membership.pk).status if membership else None
    people["other_owner"] = add_member(make_organisation(), "owner")
    people["worker"] = membership.freelancer if membership else make_freelancer()
    people["stranger"] = make_freelancer()
    answers = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        answers[name] = _ask(client, url, body).status_code
    _, secret = api_key_create(acting_user=people["owner"], organisation=pool.organisation, name="Probe")
    answers["key"] = _ask(Client(HTTP_X_API_KEY=secret), url, body).status_code

    expected = {
        **dict.fromkeys(ALLOWED, success),
        **dict.fromkeys(FORBIDDEN, 403),
        **dict.fromkeys(OUTSIDERS, 404),
        "key": 403,
    }
    assert answers == expected
    if membership is not None:  # every attempt was rolled back
        assert PoolMembership.objects.get(pk=membership.pk).status == before


def test_an_action_really_happens_with_history_and_audit():
    pool = ne_cabling()
    people = staff_of(pool.organisation)
    url, body, _, _ = _setup("suspend", pool)
    client = Client()
    client.force_login(people["hiring_manager"])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["member"]["status"] == "suspended"
    assert data["history"][0]["to_status"] == "suspended"
    assert data["history"][0]["reason"] == "No-show"
    assert data["history"][0]["actor"] == people["hiring_manager"].get_full_name()


def test_approve_refused_with_the_failing_rules_named():
    pool = ne_cabling()
    people = staff_of(pool.organisation)
    url, body, _, membership = _setup("approve", pool)
    Credential.objects.filter(worker=membership.freelancer, kind="tax_form").update(form="w8ben")
    client = Client()
    client.force_login(people["admin"])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "rules_not_met"
    assert "W-9" in response.json()["error"]["message"]


def test_credentials_stay_inside_the_organisation_that_asked():
    """Another organisation's manager, another worker and the API key never reach a worker's credential
    for this organisation: not through the member file, not through the file download."""
    pool = ne_cabling()
    people = staff_of(pool.organisation)
    membership = _member(pool, Status.ACTIVE)
    cred = Credential.objects.filter(worker=membership.freelancer).first()
    detail = reverse("api:pool-member", args=[pool.organisation.slug, pool.pk, membership.pk])
    download = f"/api/attachments/{cred.file_id}/file/"
    other_org = make_organisation()
    other_manager = add_member(other_org, "hiring_manager")
    for outsider in (other_manager, make_freelancer()):
        client = Client()
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404
    _, secret = api_key_create(acting_user=people["owner"], organisation=pool.organisation, name="Probe")
    keyed = Client(HTTP_X_API_KEY=secret)
    assert keyed.get(detail).status_code == 200
    assert keyed.get(detail).json()["credentials"] is None
    assert keyed.get(download).status_code == 404
    viewer = Client()
    viewer.force_login(people["viewer"])
    assert viewer.get(download).status_code == 404
    manager = Client()
    manager.force_login(people["hiring_manager"])  # the positive control
    assert manager.get(download).status_code == 200
    worker = Client()
    worker.force_login(membership.freelancer)
    assert worker.get(download).status_code == 200
