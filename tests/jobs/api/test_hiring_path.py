"""From posting a job to an accepted offer and a finished contract, through the API only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_client, make_freelancer
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JOB = {
    "title": "Build a booking page",
    "description": "We need a booking page for our yoga studio, with a calendar and reminders.",
    "category": "web",
    "budget_type": "fixed",
    "currency": "EUR",
    "budget_minor": 150_000,
    "duration": "weeks",
    "experience_level": "intermediate",
}
MILESTONES = [{"title": "Design", "amount_minor": 40_001}, {"title": "Build", "amount_minor": 99_999}]


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def test_a_client_hires_a_freelancer_through_the_api(settings):
    settings.PLATFORM_CLIENT_FEE_BP, settings.PLATFORM_FREELANCER_FEE_BP = 500, 1000
    client_user, freelancer_user = make_client(), make_freelancer()
    client, freelancer = as_user(client_user), as_user(freelancer_user)
    handle = freelancer_user.freelancer_profile.handle

    job = _ok(client.post("/api/jobs/", {**JOB, "publish": True}, format="json"), 201)
    assert (job["status"], job["client"]["id"], job["currency"], job["budget_minor"]) == (
        "open",
        client_user.pk,
        "EUR",
        150_000,
    )
    assert "<p>" in job["description_html"]
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    attached = _ok(client.post(f"/api/jobs/{job['id']}/attachments/", {"file": upload}), 201)
    assert (attached["name"], attached["content_type"]) == ("brief.pdf", "application/pdf")

    invitation = _ok(
        client.post(
            f"/api/jobs/{job['id']}/invitations/",
            {"freelancer_handle": handle, "message": "Your portfolio fits."},
            format="json",
        ),
        201,
    )
    assert invitation["status"] == "sent"
    mine = _ok(freelancer.get("/api/job-invitations/"))
    assert [row["id"] for row in mine["results"]] == [invitation["id"]]

    found = _ok(freelancer.get("/api/jobs/", {"q": "booking", "budget_min": 100_000}))
    assert [row["id"] for row in found["results"]] == [job["id"]]
    seen = _ok(freelancer.get(f"/api/jobs/{job['id']}/"))
    assert [a["id"] for a in seen["attachments"]] == [attached["id"]]

    proposal = _ok(
        freelancer.post(
            f"/api/jobs/{job['id']}/proposals/",
            {
                "cover_letter": "I have built many booking pages; here is how I would do yours.",
                "amount_minor": 140_000,
                "milestones": MILESTONES,
                "duration": "weeks",
            },
            format="json",
        ),
        201,
    )
    assert (proposal["status"], proposal["is_invited"], proposal["currency"]) == ("submitted", True, "EUR")
    assert _ok(freelancer.get("/api/job-invitations/"))["results"][0]["status"] == "proposed"

    listed = _ok(client.get(f"/api/jobs/{job['id']}/proposals/"))
    assert [row["id"] for row in listed["results"]] == [proposal["id"]]
    shortlisted = _ok(client.post(f"/api/proposals/{proposal['id']}/shortlist/"))
    assert shortlisted["status"] == "shortlisted"

    preview = _ok(
        client.post(
            "/api/offers/fee-preview/",
            {"currency": "EUR", "amount_minor": 140_000, "milestones": MILESTONES},
            format="json",
        )
    )
    assert preview["whole"]["client_fee_minor"] == 7_000
    assert preview["whole"]["client_total_minor"] == 147_000
    assert preview["whole"]["freelancer_receives_minor"] == 126_000
    assert [m["title"] for m in preview["milestones"]] == ["Design", "Build"]
    assert sum(m["freelancer_fee_minor"] for m in preview["milestones"]) == 14_000

    offer = _ok(client.post(f"/api/proposals/{proposal['id']}/offers/", {}, format="json"), 201)
    assert (offer["status"], offer["amount_minor"], offer["currency"]) == ("sent", 140_000, "EUR")
    assert offer["milestones"] == MILESTONES
    assert _ok(client.get(f"/api/proposals/{proposal['id']}/"))["status"] == "offered"

    received = _ok(freelancer.get("/api/offers/", {"role": "freelancer"}))
    assert [row["id"] for row in received["results"]] == [offer["id"]]
    assert _ok(freelancer.get("/api/offers/", {"role": "client"}))["count"] == 0
    assert _ok(client.get("/api/offers/", {"role": "client"}))["count"] == 1
    detail = _ok(freelancer.get(f"/api/offers/{offer['id']}/"))
    assert detail["fees"] == {**preview, "currency": "EUR"}

    contract = _ok(freelancer.post(f"/api/offers/{offer['id']}/accept/"), 201)
    assert (contract["status"], contract["offer"], contract["amount_minor"]) == (
        "active",
        offer["id"],
        140_000,
    )
    assert (contract["client"]["id"], contract["freelancer"]["handle"]) == (client_user.pk, handle)
    assert [(m["position"], m["title"], m["amount_minor"]) for m in contract["milestones"]] == [
        (1, "Design", 40_001),
        (2, "Build", 99_999),
    ]
    assert contract["fees"] == detail["fees"]
    moves = [(change["target"], change["to_status"]) for change in contract["history"]]
    assert moves == [
        ("proposal", "shortlisted"),
        ("proposal", "offered"),
        ("offer", "accepted"),
        ("proposal", "hired"),
    ]

    assert _ok(client.get(f"/api/jobs/{job['id']}/"))["status"] == "closed"  # one hire wanted
    assert _ok(client.get(f"/api/offers/{offer['id']}/"))["contract"] == contract["id"]
    for party in (client, freelancer):
        listed = _ok(party.get("/api/contracts/"))
        assert [row["id"] for row in listed["results"]] == [contract["id"]]
        assert _ok(party.get(f"/api/contracts/{contract['id']}/"))["id"] == contract["id"]

    done = _ok(
        client.post(f"/api/contracts/{contract['id']}/complete/", {"note": "Great work"}, format="json")
    )
    assert (done["status"], done["ended_by"]["id"], done["end_reason"]) == (
        "completed",
        client_user.pk,
        "Great work",
    )
    assert done["history"][-1]["to_status"] == "completed"


def test_drafts_edits_templates_and_posting_from_a_template():
    client_user = make_client()
    client = as_user(client_user)
    draft = _ok(client.post("/api/jobs/", {**JOB, "skills": []}, format="json"), 201)
    assert draft["status"] == "draft"
    assert _ok(client.get("/api/jobs/"))["count"] == 0  # drafts are not open work

    edited = _ok(
        client.patch(
            f"/api/jobs/{draft['id']}/",
            {
                "title": "Build a booking site",
                "budget_type": "hourly",
                "hourly_min_minor": 4_000,
                "hourly_max_minor": 6_000,
            },
            format="json",
        )
    )
    assert (edited["title"], edited["budget_type"], edited["budget_minor"]) == (
        "Build a booking site",
        "hourly",
        None,
    )
    assert edited["description"] == JOB["description"]  # untouched fields stay

    template = _ok(
        client.post(f"/api/jobs/{draft['id']}/save-as-template/", {"name": "Sites"}, format="json"), 201
    )
    assert template["job_fields"]["hourly_max_minor"] == 6_000
    assert [t["id"] for t in _ok(client.get("/api/job-templates/"))["results"]] == [template["id"]]
    fields = _ok(client.get(f"/api/job-templates/{template['id']}/"))["job_fields"]
    again = _ok(client.post("/api/jobs/", {**fields, "publish": True}, format="json"), 201)
    assert (again["title"], again["status"]) == ("Build a booking site", "open")

    published = _ok(client.post(f"/api/jobs/{draft['id']}/publish/"))
    assert published["status"] == "open"
    closed = _ok(client.post(f"/api/jobs/{draft['id']}/close/", {"reason": "Found someone"}, format="json"))
    assert closed["status"] == "closed"
    assert [j["id"] for j in _ok(client.get("/api/jobs/mine/"))["results"]] == [again["id"], draft["id"]]

    assert client.delete(f"/api/job-templates/{template['id']}/").status_code == 204
    assert _ok(client.get("/api/job-templates/"))["count"] == 0


def test_an_on_site_job_takes_its_city_by_geonames_id():
    from marketplace.accounts.models import City

    city = City.objects.order_by("pk").first()
    client = as_user(make_client())
    job = _ok(
        client.post(
            "/api/jobs/",
            {**JOB, "location_type": "onsite", "city": city.geonameid, "radius_km": 40, "publish": True},
            format="json",
        ),
        201,
    )
    assert (job["city"]["geonameid"], job["radius_km"]) == (city.geonameid, 40)
    template = _ok(
        client.post(f"/api/jobs/{job['id']}/save-as-template/", {"name": "On site"}, format="json"), 201
    )
    assert template["job_fields"]["city"] == city.geonameid


def test_the_freelancer_declines_an_offer_and_either_party_cancels_a_contract():
    client_user, freelancer_user = make_client(), make_freelancer()
    client, freelancer = as_user(client_user), as_user(freelancer_user)
    job = _ok(client.post("/api/jobs/", {**JOB, "publish": True, "hires_wanted": 2}, format="json"), 201)
    proposal = _ok(
        freelancer.post(
            f"/api/jobs/{job['id']}/proposals/",
            {
                "cover_letter": "A cover letter that is long enough.",
                "amount_minor": 90_000,
                "duration": "weeks",
            },
            format="json",
        ),
        201,
    )
    assert proposal["milestones"] == [{"title": JOB["title"], "amount_minor": 90_000}]
    changed = _ok(
        freelancer.patch(f"/api/proposals/{proposal['id']}/", {"amount_minor": 95_000}, format="json")
    )
    assert changed["milestones"] == [{"title": JOB["title"], "amount_minor": 95_000}]

    first = _ok(
        client.post(f"/api/proposals/{proposal['id']}/offers/", {"amount_minor": 100_000}, format="json"), 201
    )
    declined = _ok(
        freelancer.post(f"/api/offers/{first['id']}/decline/", {"reason": "Too soon"}, format="json")
    )
    assert (declined["status"], declined["decline_reason"]) == ("declined", "Too soon")
    assert _ok(client.get(f"/api/proposals/{proposal['id']}/"))["status"] == "shortlisted"

    second = _ok(client.post(f"/api/proposals/{proposal['id']}/offers/", {}, format="json"), 201)
    withdrawn = _ok(client.post(f"/api/offers/{second['id']}/withdraw/", {}, format="json"))
    assert withdrawn["status"] == "withdrawn"
    third = _ok(client.post(f"/api/proposals/{proposal['id']}/offers/", {}, format="json"), 201)
    contract = _ok(freelancer.post(f"/api/offers/{third['id']}/accept/"), 201)
    assert _ok(client.get(f"/api/jobs/{job['id']}/"))["status"] == "open"  # two hires wanted

    cancelled = _ok(
        freelancer.post(
            f"/api/contracts/{contract['id']}/cancel/",
            {"reason": "I fell ill.", "cancel_reason": "other"},
            format="json",
        )
    )
    assert (cancelled["status"], cancelled["end_reason"], cancelled["cancel_reason"]) == (
        "cancelled",
        "I fell ill.",
        "other",
    )


def test_files_are_removed_by_whoever_attached_them(media_root, django_capture_on_commit_callbacks):
    client_user, freelancer_user = make_client(), make_freelancer()
    client, freelancer = as_user(client_user), as_user(freelancer_user)
    job = _ok(client.post("/api/jobs/", {**JOB, "publish": True}, format="json"), 201)
    brief = _ok(
        client.post(f"/api/jobs/{job['id']}/attachments/", {"file": SimpleUploadedFile("brief.pdf", PDF)}),
        201,
    )
    proposal = _ok(
        freelancer.post(
            f"/api/jobs/{job['id']}/proposals/",
            {
                "cover_letter": "A cover letter that is long enough.",
                "amount_minor": 90_000,
                "duration": "weeks",
            },
            format="json",
        ),
        201,
    )
    notes = SimpleUploadedFile("notes.md", b"# Plan\n\nWeek one: design.\n")
    sample = _ok(freelancer.post(f"/api/proposals/{proposal['id']}/attachments/", {"file": notes}), 201)
    assert (sample["name"], sample["content_type"]) == ("notes.md", "text/markdown")
    assert [a["id"] for a in _ok(client.get(f"/api/proposals/{proposal['id']}/"))["attachments"]] == [
        sample["id"]
    ]

    assert_error(freelancer.delete(f"/api/attachments/{brief['id']}/"), 403, "not_job_owner")
    assert_error(client.delete(f"/api/attachments/{sample['id']}/"), 403, "not_the_freelancer")
    assert_error(
        as_user(make_freelancer()).delete(f"/api/attachments/{sample['id']}/"), 404, "attachment_not_found"
    )
    stored = sorted(path.name for path in media_root.rglob("*") if path.is_file())
    assert len(stored) == 2
    assert not {"brief.pdf", "notes.md", "file.pdf", "file.md"} & set(stored)  # unguessable names
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/attachments/{brief['id']}/").status_code == 204
        assert freelancer.delete(f"/api/attachments/{sample['id']}/").status_code == 204
    assert _ok(client.get(f"/api/jobs/{job['id']}/"))["attachments"] == []
    assert not [path for path in media_root.rglob("*") if path.is_file()]
