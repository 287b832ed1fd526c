"""The worker's pool pages and their API twins: /pools/ and /api/pools/ (with query counts at 1 and
50 pools), a pool's page with Apply, and the checklist with its red, amber and green rows, its
forms and its history."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.organisations.models import (
    AgreementSignature,
    Credential,
    PoolMembership,
    PoolOverride,
    TalentPool,
)
from marketplace.organisations.services.lifecycle import membership_reevaluate
from tests.factories import make_freelancer, make_organisation

from .pools_support import PDF, add_requirement, city, credential, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status
V, J = TalentPool.Visibility, TalentPool.JoinPolicy


def _public_pools(n: int, worker) -> None:
    for i in range(n):
        pool = make_pool(make_organisation(), name=f"Open pool {i}", visibility=V.PUBLIC, join_policy=J.APPLY)
        add_requirement(pool, "tax_form", forms=["w9"])
        if i % 3 == 0:
            membership = join(pool, worker)
            credential(worker, pool.organisation, "tax_form", form="w9")
            membership_reevaluate(membership.pk)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [reverse("frontend:pools"), reverse("api:worker-pools")])
def test_pool_lists_take_the_same_queries_at_1_and_50_pools(client, url):
    worker = make_freelancer()
    client.force_login(worker)
    _public_pools(1, worker)
    one = _queries(client, url)
    _public_pools(49, worker)
    assert _queries(client, url) == one


def test_the_api_lists_visible_pools_with_my_membership(client):
    worker = make_freelancer()
    open_pool = make_pool(name="Open", visibility=V.PUBLIC, join_policy=J.APPLY)
    hidden = make_pool(name="Hidden", visibility=V.INVITEES)
    mine = join(make_pool(name="Mine", visibility=V.INVITEES), worker)
    client.force_login(worker)
    rows = {row["name"]: row for row in client.get(reverse("api:worker-pools")).json()["results"]}
    assert set(rows) == {"Open", "Mine"}
    assert rows["Mine"]["my_membership"] == {"id": mine.pk, "status": "awaiting_requirements"}
    assert rows["Open"]["my_membership"] is None
    assert client.get(reverse("api:worker-pool", args=[hidden.pk])).status_code == 404
    detail = client.get(reverse("api:worker-pool", args=[open_pool.pk])).json()
    assert detail["requirements"] == []


def test_the_pool_page_words_the_requirements_and_applies(client):
    pool = ne_cabling()
    pool.visibility, pool.join_policy = V.PUBLIC, J.APPLY
    pool.save()
    worker = make_freelancer()
    client.force_login(worker)
    page = client.get(reverse("frontend:pool_page", args=[pool.pk])).content.decode()
    assert (
        "General liability insurance of at least $1,000,000 per occurrence and $2,000,000 aggregate" in page
    )
    assert "within 50 miles of Boston" in page
    assert "Apply to NE Cabling T1" in page
    response = client.post(reverse("frontend:pool_apply", args=[pool.pk]), {"message": "Hello"})
    membership = PoolMembership.objects.get(freelancer=worker)
    assert response.status_code == 302
    assert response.url == reverse("frontend:pool_membership", args=[membership.pk])
    page = client.get(reverse("frontend:pool_page", args=[pool.pk])).content.decode()
    assert "Open your checklist" in page
    assert "Apply to" not in page


def test_the_apply_button_is_not_offered_for_invitation_pools(client):
    pool = make_pool(visibility=V.PUBLIC, join_policy=J.INVITATION)
    client.force_login(make_freelancer())
    page = client.get(reverse("frontend:pool_page", args=[pool.pk])).content.decode()
    assert "joined by invitation" in page
    assert "Apply to" not in page
    response = client.post(reverse("frontend:pool_apply", args=[pool.pk]))
    assert response.status_code == 409


def _checklist(client, membership) -> str:
    response = client.get(reverse("frontend:pool_membership", args=[membership.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _row(page: str, requirement) -> str:
    start = page.rindex("<li", 0, page.index(f'id="requirement-{requirement.pk}"'))
    return page[start : page.index("</li>\n", page.index("checklist__head", start))]


def test_the_checklist_shows_red_amber_and_green_rows_with_what_to_do(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="Casey Cabler")
    profile = worker.freelancer_profile
    profile.city = city("Cambridge")
    profile.save()
    membership = join(pool, worker)
    credential(worker, pool.organisation, "tax_form", form="w9", status=Credential.Status.PENDING)
    membership_reevaluate(membership.pk)
    client.force_login(worker)
    page = _checklist(client, membership)
    rules = {r.kind: r for r in pool.requirements.all()}
    assert "pool-checklist__item--pending" in _row(page, rules["tax_form"])  # amber: awaiting review
    assert "Awaiting review" in _row(page, rules["tax_form"])
    assert "pool-checklist__item--pass" in _row(page, rules["travel_distance"])  # green
    insurance = _row(page, rules["insurance"])
    assert "pool-checklist__item--fail" in insurance  # red, with its upload form
    assert f'name="r{rules["insurance"].pk}-per_occurrence_minor"' in insurance
    agreement = _row(page, rules["agreement"])
    assert "pool-checklist__item--fail" in agreement
    assert "I agree." in agreement
    assert "Type your full name" in agreement
    assert "Request an override" in page
    assert "Awaiting requirements" in page


def test_an_expired_row_is_shown_as_expired(client):
    pool = make_pool()
    rule = add_requirement(pool, "certification", name="BICSI Installer")
    worker = make_freelancer()
    membership = join(pool, worker, status=Status.ACTIVE)
    credential(
        worker, pool.organisation, "certification", name="BICSI Installer", expires_on=date(2020, 1, 1)
    )
    membership_reevaluate(membership.pk)
    client.force_login(worker)
    row = _row(_checklist(client, membership), rule)
    assert "pool-checklist__item--expired" in row
    assert "Expired" in row


def test_the_checklist_forms_upload_sign_and_ask_for_an_override(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="Casey Cabler")
    membership = join(pool, worker)
    client.force_login(worker)
    rules = {r.kind: r for r in pool.requirements.all()}
    upload = reverse("frontend:pool_credential_upload", args=[membership.pk, rules["insurance"].pk])
    prefix = f"r{rules['insurance'].pk}"
    bad = client.post(
        upload,
        {
            f"{prefix}-per_occurrence_minor": "1000000",
            f"{prefix}-aggregate_minor": "2000000",
            f"{prefix}-expires_on": "2001-01-01",
            f"{prefix}-file": SimpleUploadedFile("c.pdf", PDF),
        },
    )
    assert bad.status_code == 400
    assert "already expired" in bad.content.decode()
    later = (timezone.localdate() + timedelta(days=300)).isoformat()
    good = client.post(
        upload,
        {
            f"{prefix}-per_occurrence_minor": "1000000",
            f"{prefix}-aggregate_minor": "2000000",
            f"{prefix}-expires_on": later,
            f"{prefix}-file": SimpleUploadedFile("c.pdf", PDF),
        },
    )
    assert good.status_code == 302, good.content.decode()[:2000]
    stored = Credential.objects.get()
    assert (stored.per_occurrence_minor, stored.aggregate_minor) == (100_000_000, 200_000_000)
    sign = reverse("frontend:pool_agreement_sign", args=[membership.pk, rules["agreement"].pk])
    assert client.post(sign, {"signed_name": "Nobody"}).status_code == 400
    assert client.post(sign, {"signed_name": "Casey Cabler"}, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert AgreementSignature.objects.get().ip == "198.51.100.7"
    page = _checklist(client, membership)
    assert "Signed on" in page
    assert "Uploaded" not in page.split("checklist")[0]
    override = reverse("frontend:pool_override_request", args=[membership.pk])
    assert client.post(override, {"reason": ""}).status_code == 400
    assert client.post(override, {"reason": "My check is booked for Monday."}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.OVERRIDE_REQUESTED
    assert PoolOverride.objects.get().request_reason == "My check is booked for Monday."
    history = _checklist(client, membership).split('id="history-title"')[1]
    assert history.index("Override requested") < history.index("My check is booked")


def test_the_checklist_is_the_workers_own(client):
    membership = join(ne_cabling())
    client.force_login(make_freelancer())
    assert client.get(reverse("frontend:pool_membership", args=[membership.pk])).status_code == 404
    client.force_login(membership.freelancer)
    assert client.get(reverse("frontend:pool_membership", args=[membership.pk])).status_code == 200


def test_accepting_into_a_pool_with_requirements_leads_to_the_checklist(client):
    pool = ne_cabling()
    worker = make_freelancer()
    invited = join(pool, worker, status=Status.INVITED)
    client.force_login(worker)
    assert "See what it asks" in client.get(reverse("frontend:pools")).content.decode()
    response = client.post(reverse("frontend:pool_accept", args=[invited.pk]))
    assert response.url == reverse("frontend:pool_membership", args=[invited.pk])
    checklist = client.get(response.url).content.decode()
    # Not "you joined": the checklist comes first.
    assert "Meet Organisation" in checklist
    assert "requirements below to join the pool." in checklist
    assert "You joined" not in checklist
    page = client.get(reverse("frontend:pools")).content.decode()
    assert "NE Cabling T1" in page
    assert "Awaiting requirements" in page
    assert "not met" in page


def test_the_api_membership_detail_carries_the_checklist_and_history(client):
    pool = ne_cabling()
    worker = make_freelancer()
    invited = join(pool, worker, status=Status.INVITED)
    client.force_login(worker)
    client.post(reverse("api:my-pool-membership-accept", args=[invited.pk]))
    body = client.get(reverse("api:my-pool-membership", args=[invited.pk])).json()
    assert body["status"] == "awaiting_requirements"
    assert [item["requirement"]["kind"] for item in body["checklist"]] == [
        "tax_form",
        "agreement",
        "insurance",
        "background_check",
        "travel_distance",
    ]
    assert body["checklist"][0]["status"] == "fail"
    assert body["checklist"][0]["result"]["reason"]
    assert body["history"][0]["to_status"] == "awaiting_requirements"
    response = client.post(
        reverse("api:my-pool-membership-override-requests", args=[invited.pk]),
        {"reason": "Booked."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "requested"
