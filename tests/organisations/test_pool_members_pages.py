"""The member file and review queue pages: red rules with their reasons, credentials only for the
roles that review them, the reviewers' buttons working through the page, the queue's sections."""

from datetime import date

import pytest
from django.urls import reverse

from marketplace.organisations.models import Credential, PoolMembership, PoolOverride
from marketplace.organisations.services.lifecycle import membership_reevaluate

from .members_support import meets_ne_cabling, staff_of
from .pools_support import credential, join, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


@pytest.fixture
def pool():
    return ne_cabling()


@pytest.fixture
def people(pool):
    return staff_of(pool.organisation)


@pytest.fixture
def suspended(pool):
    """Suspended by the rules; the $950k certificate the only insurance."""
    membership = join(pool, status=Status.SUSPENDED)
    PoolMembership.objects.filter(pk=membership.pk).update(suspended_by_rules=True)
    meets_ne_cabling(membership, insurance_minor=95_000_000)
    membership_reevaluate(membership.pk)
    return membership


def _url(pool, membership, *tail):
    return reverse("frontend:pool_member", args=[pool.organisation.slug, pool.pk, membership.pk]) + "".join(
        tail
    )


def test_the_member_file_shows_red_rules_and_credentials_only_to_reviewers(client, pool, people, suspended):
    client.force_login(people["viewer"])
    html = client.get(_url(pool, suspended)).content.decode()
    assert "The certificate shows $950,000 per occurrence" in html
    assert "pm-rule--fail" in html
    assert "Credentials uploaded" not in html
    assert "Approve this rule" not in html
    client.force_login(people["hiring_manager"])
    html = client.get(_url(pool, suspended)).content.decode()
    assert "Credentials uploaded" in html
    insurance = Credential.objects.get(worker=suspended.freelancer, kind="insurance")
    assert reverse("frontend:attachment_file", args=[insurance.file_id]) in html
    assert "Approve this rule" in html
    assert "Reinstate" in html


def test_approving_the_rule_on_the_page_reinstates_the_member(client, pool, people, suspended):
    client.force_login(people["admin"])
    rule = pool.requirements.get(kind="insurance")
    url = reverse(
        "frontend:pool_member_rule_approve", args=[pool.organisation.slug, pool.pk, suspended.pk, rule.pk]
    )
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Give the reason" in refused.content.decode()
    response = client.post(url, {"reason": "Umbrella policy"})
    assert response.status_code == 302
    assert PoolMembership.objects.get(pk=suspended.pk).status == Status.ACTIVE
    html = client.get(_url(pool, suspended)).content.decode()
    assert "Approved by" in html
    assert "Reinstated: every requirement passes again." in html  # the history, newest first


def test_suspend_and_reinstate_buttons(client, pool, people):
    membership = join(pool, status=Status.ACTIVE)
    meets_ne_cabling(membership)
    client.force_login(people["owner"])
    suspend = _url(pool, membership, "suspend/")
    assert client.post(suspend, {"reason": "No-show"}).status_code == 302
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.SUSPENDED
    assert client.post(_url(pool, membership, "reinstate/"), {}).status_code == 302
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.ACTIVE
    assert client.post(_url(pool, membership, "frobnicate/"), {}).status_code == 404
    client.force_login(people["finance"])
    assert client.post(suspend, {"reason": "x"}).status_code == 403


def test_the_review_queue_counts_and_lists_each_section(client, pool, people, suspended):
    org = pool.organisation
    waiting = join(pool)
    meets_ne_cabling(waiting, status="pending")
    membership_reevaluate(waiting.pk)
    asking = join(pool)
    PoolOverride.objects.create(membership=asking, request_reason="Drug test booked")
    credential(asking.freelancer, org, "drug_test", issued_on=date(2026, 11, 1), status="pending")
    client.force_login(people["hiring_manager"])
    url = reverse("frontend:pool_review", args=[org.slug])
    sections = {}
    for section in ("review", "overrides", "credentials", "flagged"):
        response = client.get(url, {"section": section})
        assert response.status_code == 200
        sections[section] = response.context["items"]
    tabs = {key: count for key, _, count in response.context["queue_tabs"]}
    assert tabs == {"review": 1, "overrides": 1, "credentials": 4, "flagged": 1}
    assert [i["membership"] for i in sections["review"]] == [waiting.pk]
    assert sections["overrides"][0]["summary"] == "Drug test booked"
    assert [i["membership"] for i in sections["flagged"]] == [suspended.pk]
    client.force_login(people["viewer"])
    assert client.get(url).status_code == 403


def test_verifying_from_the_queue(client, pool, people):
    waiting = join(pool)
    meets_ne_cabling(waiting, status="pending")
    client.force_login(people["hiring_manager"])
    for cred in Credential.objects.filter(worker=waiting.freelancer):
        url = reverse("frontend:pool_credential_decide", args=[pool.organisation.slug, cred.pk, "verify"])
        assert client.post(url, {}).status_code == 302
    assert PoolMembership.objects.get(pk=waiting.pk).status == Status.AWAITING_REVIEW
    assert not Credential.objects.filter(status="pending").exists()
