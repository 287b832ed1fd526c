"""The worker uploads credentials and signs agreements (services.credentials, services.agreements,
through the API): each kind with its fields and their errors, refused files store nothing, nobody
but the worker and the organisation's reviewers reaches a credential's file."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from marketplace.core.models import StoredFile
from marketplace.organisations.models import AgreementSignature, Credential, PoolMembership, Role
from tests.factories import add_member, make_freelancer, make_organisation, make_user

from .pools_support import PDF, add_requirement, credential, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status
FUTURE = (timezone.localdate() + timedelta(days=200)).isoformat()
PAST = (timezone.localdate() - timedelta(days=20)).isoformat()
PNG = b"\x89PNG\r\n\x1a\n"


def _upload(client, membership, requirement, *, data=PDF, name="doc.pdf", **fields):
    url = reverse("api:my-pool-membership-credentials", args=[membership.pk])
    body = {"requirement": requirement.pk, **fields}
    if data is not None:
        body["file"] = SimpleUploadedFile(name, data)
    return client.post(url, body)


def _field_codes(response) -> dict:
    return {name: [e["code"] for e in errors] for name, errors in response.json()["error"]["fields"].items()}


@pytest.fixture
def member(client):
    pool = ne_cabling()
    membership = join(pool)
    client.force_login(membership.freelancer)
    return membership


def _rule(membership, kind):
    return membership.pool.requirements.get(kind=kind)


def test_tax_form_upload_is_pending_and_the_checklist_turns_amber(client, member):
    response = _upload(client, member, _rule(member, "tax_form"), form="w9")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["form"], body["status"]) == ("tax_form", "w9", "pending")
    stored = Credential.objects.get()
    assert stored.organisation == member.pool.organisation
    assert stored.worker == member.freelancer
    assert member.results.get(requirement=_rule(member, "tax_form")).status == "pending"


def test_tax_form_must_be_one_the_rule_accepts(client, member):
    response = _upload(client, member, _rule(member, "tax_form"), form="w8ben")
    assert response.status_code == 400
    assert _field_codes(response) == {"form": ["form_not_accepted"]}


def test_insurance_needs_its_amounts_and_a_future_expiry(client, member):
    rule = _rule(member, "insurance")
    response = _upload(client, member, rule, per_occurrence_minor="lots", expires_on=PAST)
    assert response.status_code == 400
    assert _field_codes(response) == {
        "per_occurrence_minor": ["invalid_number"],
        "aggregate_minor": ["required"],
        "expires_on": ["already_expired"],
    }
    ok = _upload(
        client, member, rule, per_occurrence_minor=100_000_000, aggregate_minor=200_000_000, expires_on=FUTURE
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["coverage"] == "general_liability"  # from the rule, not the worker


def test_background_check_date_is_required_and_not_in_the_future(client, member):
    rule = _rule(member, "background_check")
    assert _field_codes(_upload(client, member, rule)) == {"issued_on": ["required"]}
    assert _field_codes(_upload(client, member, rule, issued_on=FUTURE)) == {"issued_on": ["date_in_future"]}
    assert _field_codes(_upload(client, member, rule, issued_on="2026-02-30")) == {
        "issued_on": ["invalid_date"]
    }
    assert _upload(client, member, rule, issued_on=PAST).status_code == 201


@pytest.mark.parametrize(
    ("kind", "config", "fields", "bad", "codes"),
    [
        ("drug_test", {"max_age_days": 90}, {"issued_on": PAST}, {}, {"issued_on": ["required"]}),
        (
            "skills_test",
            {"name": "Fibre splicing", "min_score": 70},
            {"score": 88},
            {"score": 101},
            {"score": ["out_of_range"]},
        ),
        (
            "certification",
            {"name": "BICSI Installer"},
            {},
            {"expires_on": PAST},
            {"expires_on": ["already_expired"]},
        ),
        (
            "document",
            {"title": "Site safety card"},
            {"expires_on": FUTURE},
            {"expires_on": "soon"},
            {"expires_on": ["invalid_date"]},
        ),
    ],
)
def test_each_kind_takes_its_own_fields(client, kind, config, fields, bad, codes):
    pool = make_pool()
    rule = add_requirement(pool, kind, **config)
    membership = join(pool)
    client.force_login(membership.freelancer)
    assert _field_codes(_upload(client, membership, rule, **bad)) == codes
    response = _upload(client, membership, rule, **fields)
    assert response.status_code == 201, response.content
    stored = Credential.objects.get()
    assert stored.kind == kind
    if "name" in config or "title" in config:
        assert stored.name == config.get("name", config.get("title"))


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "certificate.pdf", "unsupported_attachment_type"),
        (b"col,a\n1,2\n", "certificate.csv", "unsupported_credential_type"),
        (b"", "empty.pdf", "empty_file"),
    ],
)
def test_bad_files_are_refused_with_400_and_nothing_is_stored(client, member, data, name, code):
    response = _upload(client, member, _rule(member, "tax_form"), data=data, name=name, form="w9")
    assert response.status_code == 400
    assert _field_codes(response) == {"file": [code]}
    assert not Credential.objects.exists()
    assert not StoredFile.objects.exists()


def test_an_oversize_file_is_refused(client, member, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = _upload(client, member, _rule(member, "tax_form"), data=PDF + b"0" * 2000, form="w9")
    assert response.status_code == 400
    assert _field_codes(response) == {"file": ["file_too_large"]}
    assert not StoredFile.objects.exists()


def test_a_png_photo_is_accepted(client, member):
    from tests.support.images import image_bytes

    response = _upload(
        client, member, _rule(member, "tax_form"), data=image_bytes(fmt="PNG"), name="w9.png", form="w9"
    )
    assert response.status_code == 201, response.content
    assert response.json()["file"]["content_type"] == "image/png"


def test_nothing_to_upload_for_an_agreement_and_not_for_another_pools_rule(client, member):
    agreement = _rule(member, "agreement")
    assert _upload(client, member, agreement).json()["error"]["code"] == "requirement_not_uploaded"
    other = add_requirement(make_pool(), "tax_form", forms=["w9"])
    assert _upload(client, member, other, form="w9").json()["error"]["code"] == "requirement_not_found"


def test_someone_elses_membership_is_404_and_an_invitation_409(client, member):
    other = join(member.pool)
    assert _upload(client, member, _rule(member, "tax_form")).status_code == 201  # the owner: a W-9
    client.force_login(other.freelancer)
    assert _upload(client, member, _rule(member, "tax_form"), form="w9").status_code == 404
    invited = join(member.pool, status=Status.INVITED)
    client.force_login(invited.freelancer)
    response = _upload(client, invited, _rule(member, "tax_form"), form="w9")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "membership_not_joined")
    assert list(Credential.objects.values_list("worker", flat=True)) == [member.freelancer_id]


def test_upload_reevaluates_every_membership_of_the_worker_in_that_organisation(client, member):
    second = make_pool(member.pool.organisation, name="Second pool")
    add_requirement(second, "tax_form", forms=["w9"])
    other = join(second, member.freelancer)
    assert _upload(client, member, _rule(member, "tax_form"), form="w9").status_code == 201
    other.refresh_from_db()
    assert other.results.get().status == "pending"
    assert other.status == Status.AWAITING_REVIEW


def test_credential_files_reach_only_the_worker_and_the_organisations_reviewers(client, member):
    _upload(client, member, _rule(member, "tax_form"), form="w9")
    mine = Credential.objects.get()
    organisation = member.pool.organisation
    hiring = add_member(organisation, Role.HIRING_MANAGER, make_user())
    viewer = add_member(organisation, Role.VIEWER, make_user())
    outsider_org = make_organisation()
    theirs = credential(make_freelancer(), outsider_org, "tax_form", form="w9")
    url = reverse("frontend:attachment_file", args=[mine.file_id])
    assert client.get(url).status_code == 200  # the worker
    assert client.get(reverse("frontend:attachment_file", args=[theirs.file_id])).status_code == 404
    for who, expected in [
        (hiring, 200),
        (viewer, 404),
        (make_freelancer(), 404),
        (outsider_org.memberships.get().user, 404),
    ]:
        client.force_login(who)
        assert client.get(url).status_code == expected, who
        assert client.get(reverse("jobs_api:attachment-file", args=[mine.file_id])).status_code == expected


def test_the_credential_list_is_the_workers_own_for_that_organisation(client, member):
    _upload(client, member, _rule(member, "tax_form"), form="w9")
    other_worker = make_freelancer()
    credential(other_worker, member.pool.organisation, "tax_form", form="w9")
    credential(member.freelancer, make_organisation(), "tax_form", form="w9")  # another organisation
    url = reverse("api:my-pool-membership-credentials", args=[member.pk])
    rows = client.get(url).json()["results"]
    assert [row["id"] for row in rows] == [
        Credential.objects.filter(organisation=member.pool.organisation, worker=member.freelancer).get().pk
    ]


# --- Agreements -------------------------------------------------------------------------------------


def _sign(client, membership, requirement, name, **headers):
    url = reverse("api:my-pool-membership-sign", args=[membership.pk, requirement.pk])
    return client.post(url, {"signed_name": name}, content_type="application/json", **headers)


def test_signing_records_the_text_version_ip_and_browser(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="Casey Cabler")
    membership = join(pool, worker)
    client.force_login(worker)
    agreement = pool.requirements.get(kind="agreement")
    response = _sign(
        client,
        membership,
        agreement,
        "  casey  CABLER ",
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Probe/1.0",
    )
    assert response.status_code == 200, response.content
    signature = AgreementSignature.objects.get()
    assert (signature.version, signature.text, signature.signed_name) == (3, "I agree.", "casey CABLER")
    assert (signature.ip, signature.user_agent) == ("203.0.113.9", "Probe/1.0")
    item = next(i for i in response.json()["checklist"] if i["requirement"]["kind"] == "agreement")
    assert item["status"] == "pass"
    assert item["signed_at"]
    again = _sign(client, membership, agreement, "Casey Cabler")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_signed")


def test_the_signed_name_must_be_the_accounts(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="Casey Cabler")
    membership = join(pool, worker)
    client.force_login(worker)
    agreement = pool.requirements.get(kind="agreement")
    assert _field_codes(_sign(client, membership, agreement, "Someone Else")) == {
        "signed_name": ["name_mismatch"]
    }
    assert _field_codes(_sign(client, membership, agreement, "  ")) == {"signed_name": ["required"]}
    assert not AgreementSignature.objects.exists()


def test_an_account_without_a_name_signs_with_any_name(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="")
    membership = join(pool, worker)
    client.force_login(worker)
    assert _sign(client, membership, pool.requirements.get(kind="agreement"), "C. Cabler").status_code == 200


def test_a_new_version_must_be_signed_again(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="Casey Cabler")
    membership = join(pool, worker)
    client.force_login(worker)
    agreement = pool.requirements.get(kind="agreement")
    assert _sign(client, membership, agreement, "Casey Cabler").status_code == 200
    agreement.config = {**agreement.config, "version": 4, "text": "I agree, again."}
    agreement.save()
    assert _sign(client, membership, agreement, "Casey Cabler").status_code == 200
    assert list(AgreementSignature.objects.order_by("version").values_list("version", flat=True)) == [3, 4]


def test_signing_another_pools_agreement_is_404(client):
    pool = ne_cabling()
    worker = make_freelancer(full_name="Casey Cabler")
    membership = join(pool, worker)
    client.force_login(worker)
    foreign = ne_cabling().requirements.get(kind="agreement")
    response = _sign(client, membership, foreign, "Casey Cabler")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "agreement_not_found")


def test_the_worker_withdraws_a_pending_credential_and_only_that(client, member):
    _upload(client, member, _rule(member, "tax_form"), form="w9")
    pending = Credential.objects.get()
    url = reverse("jobs_api:attachment", args=[pending.file_id])
    hiring = add_member(member.pool.organisation, Role.HIRING_MANAGER, make_user())
    client.force_login(hiring)  # a reviewer sees it but does not withdraw it
    assert client.delete(url).json()["error"]["code"] == "not_the_worker"
    client.force_login(make_freelancer())
    assert client.delete(url).status_code == 404
    client.force_login(member.freelancer)
    assert client.delete(url).status_code == 204
    assert not Credential.objects.exists()
    assert not StoredFile.objects.exists()
    assert member.results.get(requirement=_rule(member, "tax_form")).status == "fail"
    verified = credential(member.freelancer, member.pool.organisation, "tax_form", form="w9")
    response = client.delete(reverse("jobs_api:attachment", args=[verified.file_id]))
    assert (response.status_code, response.json()["error"]["code"]) == (403, "credential_file_kept")
    assert Credential.objects.filter(pk=verified.pk).exists()
