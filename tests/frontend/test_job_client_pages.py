"""The client's job pages: post a job (fixed, hourly, draft, for an organisation, from a template,
with files), edit, my jobs, the job's page with its proposals and invitations, sending an offer
with its fee breakdown, and job templates."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import City, Skill
from marketplace.core.models import StatusChange, StoredFile
from marketplace.jobs.models import Job, JobInvitation, JobTemplate, Offer, Proposal
from marketplace.jobs.services import job_expire, job_template_save, proposal_shortlist
from marketplace.organisations.models import Role
from tests.factories import (
    add_member,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
    make_user,
)

pytestmark = pytest.mark.django_db

NEW = reverse("frontend:job_new")
MINE = reverse("frontend:my_jobs")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def job_page(job) -> str:
    return reverse("frontend:job_proposals", args=[job.pk])


def form_data(**changes) -> dict:
    data = {
        "title": "Booking page for a yoga studio",
        "description": "A booking page with a calendar, reminders by email and a simple admin view.",
        "category": "web",
        "budget_type": "fixed",
        "currency": "USD",
        "budget": "1500.00",
        "hourly_min": "",
        "hourly_max": "",
        "duration": "weeks",
        "experience_level": "intermediate",
        "location_type": "remote",
        "city": "",
        "radius_km": "25",
        "visibility": "public",
        "hires_wanted": "1",
        "post_for": "",
        "action": "publish",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def errors_near(html: str, field_id: str) -> str:
    """The markup from the input ``field_id`` to the next field: where its errors must be."""
    start = html.index(f'id="{field_id}"')
    following = re.compile(r'<(?:div|fieldset) class="field[ "]').search(html, start)
    return html[start : following.start() if following else len(html)]


# ---- post a job -----------------------------------------------------------------------------------


def test_the_post_page_needs_a_login_and_hiring_turned_on(client):
    assert client.get(NEW).status_code == 302
    client.force_login(make_freelancer())
    response = client.get(NEW)
    assert response.status_code == 403
    assert "Turn on hiring" in response.content.decode()


def test_a_client_sees_every_field_of_the_form(client):
    client.force_login(make_client())
    html = client.get(NEW).content.decode()
    for name in (
        "title",
        "description",
        "category",
        "skills",
        "budget_type",
        "currency",
        "budget",
        "hourly_min",
        "hourly_max",
        "duration",
        "experience_level",
        "location_type",
        "city",
        "radius_km",
        "visibility",
        "hires_wanted",
        "attachments",
    ):
        assert f'name="{name}"' in html, name
    assert "Markdown" in html
    assert 'value="pool"' not in html  # no organisation to post for: no talent-pool visibility
    assert "Post job" in html
    assert "Save draft" in html


def test_posting_a_fixed_price_job(client):
    owner = make_client()
    skills = list(Skill.objects.order_by("pk")[:2])
    client.force_login(owner)
    response = client.post(NEW, form_data(skills=[s.pk for s in skills]))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == job_page(job)
    assert (job.client, job.organisation, job.status) == (owner, None, Job.Status.OPEN)
    assert (job.budget_type, job.currency, job.budget_minor) == ("fixed", "USD", 150_000)
    assert job.hourly_min_minor is None
    assert set(job.skills.all()) == set(skills)


def test_posting_an_hourly_job_on_site(client):
    city = City.objects.order_by("-population").first()
    client.force_login(make_client())
    data = form_data(
        budget_type="hourly",
        budget="",
        hourly_min="40",
        hourly_max="65.50",
        location_type="onsite",
        city=city.pk,
        radius_km="30",
    )
    assert client.post(NEW, data).status_code == 302
    job = Job.objects.get()
    assert (job.budget_type, job.budget_minor, job.hourly_min_minor, job.hourly_max_minor) == (
        "hourly",
        None,
        4_000,
        6_550,
    )
    assert (job.location_type, job.city, job.radius_km) == ("onsite", city, 30)


def test_save_draft_keeps_the_job_to_the_client_side(client):
    client.force_login(make_client())
    client.post(NEW, form_data(action="draft"))
    assert Job.objects.get().status == Job.Status.DRAFT


def test_bad_input_shows_field_errors_keeps_the_input_and_writes_nothing(client):
    client.force_login(make_client())
    response = client.post(NEW, form_data(title="", budget="12.345", description="Short but kept"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in errors_near(html, "id_title")
    assert "USD amounts use at most 2 decimal places." in errors_near(html, "id_budget")
    assert "Short but kept" in html
    assert not Job.objects.exists()


def test_the_services_refusals_show_next_to_their_fields(client):
    client.force_login(make_client())
    response = client.post(NEW, form_data(budget="", description="Too short"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "A fixed-price job needs a budget." in errors_near(html, "id_budget")
    assert "Describe the work in 20 to 20,000 characters." in html
    assert not Job.objects.exists()


def test_an_on_site_job_needs_a_city(client):
    client.force_login(make_client())
    response = client.post(NEW, form_data(location_type="onsite"))
    assert response.status_code == 400
    assert "An on-site job needs a city from the list." in response.content.decode()
    assert not Job.objects.exists()


def test_files_are_attached_and_a_refused_file_writes_nothing(client, media_root):
    client.force_login(make_client())
    bad = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 64)
    good = SimpleUploadedFile("brief.pdf", PDF)
    response = client.post(NEW, {**form_data(), "attachments": [good, bad]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "tool.exe: This kind of file is not accepted." in html
    assert not Job.objects.exists()
    assert not StoredFile.objects.exists()
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))

    good.seek(0)
    response = client.post(NEW, {**form_data(), "attachments": [good]})
    assert response.status_code == 302
    attachment = StoredFile.objects.get()
    assert (Job.objects.get().attachments.get(), attachment.original_name) == (attachment, "brief.pdf")


def test_posting_for_an_organisation_with_its_talent_pool_as_audience(client):
    owner = make_client()
    organisation = make_organisation(owner=owner)
    viewer = add_member(organisation, Role.VIEWER, make_client())
    client.force_login(owner)
    html = client.get(NEW).content.decode()
    assert f'<option value="{organisation.pk}">{organisation.name}</option>' in html
    assert 'value="pool"' in html

    assert client.post(NEW, form_data(post_for="", visibility="pool")).status_code == 400
    assert not Job.objects.exists()
    assert client.post(NEW, form_data(post_for=organisation.pk, visibility="pool")).status_code == 302
    job = Job.objects.get()
    assert (job.organisation, job.visibility) == (organisation, "pool")

    # A member whose role cannot post is not offered the organisation.
    client.force_login(viewer)
    assert f'<option value="{organisation.pk}">' not in client.get(NEW).content.decode()
    assert client.post(NEW, form_data(post_for=organisation.pk)).status_code == 400
    assert Job.objects.count() == 1


def test_starting_from_a_template(client):
    owner = make_client()
    job = make_job(client=owner, title="Quarterly newsletter design", budget_minor=80_000)
    template = job_template_save(acting_user=owner, job=job, name="Newsletter")
    client.force_login(owner)
    html = client.get(NEW).content.decode()
    assert f'<option value="{template.pk}">Newsletter</option>' in html
    html = client.get(NEW, {"template": template.pk}).content.decode()
    assert 'value="Quarterly newsletter design"' in html
    assert 'value="800.00"' in html
    assert "Filled in from the template “Newsletter”" in html

    client.force_login(make_client())
    assert client.get(NEW, {"template": template.pk}).status_code == 404


# ---- edit -----------------------------------------------------------------------------------------


def test_the_edit_page_is_the_client_sides_and_publishes_a_draft(client):
    owner = make_client()
    job = make_job(client=owner, publish=False)
    edit = reverse("frontend:job_edit", args=[job.pk])
    for outsider in (make_client(), make_freelancer()):
        client.force_login(outsider)
        assert client.get(edit).status_code == 404
    client.force_login(owner)
    html = client.get(edit).content.decode()
    assert 'value="Build a booking page"' in html
    assert "Save and post job" in html
    response = client.post(edit, form_data(title="Booking page, with payments", action="publish"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.title, job.status) == ("Booking page, with payments", Job.Status.OPEN)


def test_editing_keeps_input_on_errors(client):
    owner = make_client()
    job = make_job(client=owner)
    client.force_login(owner)
    response = client.post(reverse("frontend:job_edit", args=[job.pk]), form_data(title="Tiny", budget="-3"))
    assert response.status_code == 400
    assert 'value="Tiny"' in response.content.decode()
    job.refresh_from_db()
    assert job.title == "Build a booking page"


# ---- my jobs --------------------------------------------------------------------------------------


def test_my_jobs_lists_the_client_sides_jobs_with_counts_and_a_status_filter(client):
    owner = make_client()
    open_job = make_job(client=owner, title="Open job with a proposal")
    make_proposal(open_job)
    make_job(client=owner, title="A draft job here", publish=False)
    make_job(title="Someone else's job")
    client.force_login(owner)
    html = client.get(MINE).content.decode()
    assert "Open job with a proposal" in html
    assert "A draft job here" in html
    assert "Someone else" not in html
    assert re.search(r'data-label="Proposals" class="num">1<', html)
    drafts = client.get(MINE, {"status": "draft"}).content.decode()
    assert "A draft job here" in drafts
    assert "Open job with a proposal" not in drafts


def test_my_jobs_empty_state_invites_a_first_job(client):
    client.force_login(make_client())
    html = client.get(MINE).content.decode()
    assert "Post your first job" in html
    assert f'href="{NEW}"' in html


def test_the_dashboard_offers_clients_to_post_a_job(client):
    client.force_login(make_client())
    assert f'href="{NEW}"' in client.get(reverse("frontend:dashboard")).content.decode()


def _page_queries(client, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_jobs_makes_the_same_queries_for_1_and_50_jobs(client):
    owner = make_client()
    skills = list(Skill.objects.values_list("pk", flat=True)[:3])
    make_proposal(make_job(client=owner, skills=skills))
    client.force_login(owner)
    one = _page_queries(client, MINE)
    for n in range(49):
        job = make_job(client=owner, title=f"Job number {n}", skills=skills, publish=n % 2 == 0)
        if n % 2 == 0:
            make_proposal(job)
    assert _page_queries(client, MINE + "?status=") == one


# ---- the job's page -------------------------------------------------------------------------------


def test_the_job_page_shows_proposals_to_the_client_side_only(client):
    owner = make_client()
    organisation = make_organisation(owner=owner)
    viewer = add_member(organisation, Role.VIEWER)
    job = make_job(organisation=organisation)
    freelancer = make_freelancer(full_name="Ana Costa")
    make_proposal(
        job,
        freelancer=freelancer,
        amount_minor=140_000,
        milestones=[{"title": "Design", "amount_minor": 40_000}, {"title": "Build", "amount_minor": 100_000}],
        cover_letter="I built booking pages for three studios; here is my plan.",
    )
    page = job_page(job)
    client.force_login(owner)
    html = client.get(page).content.decode()
    handle = freelancer.freelancer_profile.handle
    assert f'href="{reverse("frontend:freelancer", kwargs={"handle": handle})}"' in html
    assert "Ana Costa" in html
    assert "$1,400.00" in html
    assert "$400.00" in html
    assert "I built booking pages for three studios" in html
    assert "Send offer" in html
    assert "Shortlist" in html
    assert "Invite a freelancer" in html

    client.force_login(viewer)  # a member who may look but not act
    html = client.get(page).content.decode()
    assert "Ana Costa" in html
    assert "Send offer" not in html
    assert "Shortlist" not in html
    assert "Invite a freelancer" not in html

    for outsider in (
        freelancer,
        make_client(),
        make_freelancer(),
    ):  # the job is public: they see it elsewhere
        client.force_login(outsider)
        assert client.get(page).status_code == 404


def test_invited_proposals_are_marked_and_invitations_listed(client):
    owner = make_client()
    job = make_job(client=owner)
    freelancer = make_freelancer(full_name="Bea Invited")
    client.force_login(owner)
    handle = freelancer.freelancer_profile.handle
    response = client.post(reverse("frontend:job_invite", args=[job.pk]), {"freelancer_handle": handle})
    assert response.status_code == 302
    assert JobInvitation.objects.get().freelancer == freelancer
    make_proposal(job, freelancer=freelancer)
    html = client.get(job_page(job)).content.decode()
    assert "Invited</span>" in html
    assert "Proposal submitted" in html  # the invitation's status


def test_inviting_an_unknown_handle_is_refused_with_the_input_kept(client):
    owner = make_client()
    job = make_job(client=owner)
    client.force_login(owner)
    response = client.post(
        reverse("frontend:job_invite", args=[job.pk]), {"freelancer_handle": "nobody-here"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "No freelancer with this profile." in html
    assert 'value="nobody-here"' in html
    assert not JobInvitation.objects.exists()


def test_shortlist_archive_and_decline_from_the_page(client):
    owner = make_client()
    job = make_job(client=owner)
    first, second = make_proposal(job), make_proposal(job)
    client.force_login(owner)
    response = client.post(reverse("frontend:proposal_shortlist", args=[first.pk]), {"next": job_page(job)})
    assert response.status_code == 302
    assert response.url == job_page(job)
    first.refresh_from_db()
    assert first.status == Proposal.Status.SHORTLISTED

    # htmx: the answer is the proposal's card, updated in place
    response = client.post(reverse("frontend:proposal_archive", args=[second.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<article class="card proposal"')
    assert "Archived</span>" in html

    message = "Thank you; we chose someone closer to our stack."
    client.post(reverse("frontend:proposal_decline", args=[second.pk]), {"reason": message})
    second.refresh_from_db()
    assert (second.status, second.decline_message) == (Proposal.Status.DECLINED, message)

    # a refused move says why, and changes nothing
    response = client.post(reverse("frontend:proposal_shortlist", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert "alert--error" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Proposal.Status.DECLINED


def test_an_htmx_proposal_action_sends_the_tabs_with_their_new_counts(client):
    owner = make_client()
    job = make_job(client=owner)
    first, _second = make_proposal(job), make_proposal(job)
    client.force_login(owner)
    page = client.get(job_page(job), {"status": Proposal.Status.SUBMITTED}).content.decode()
    assert re.search(r"New <span class=\"tab-count\">2</span>", page)

    response = client.post(
        reverse("frontend:proposal_shortlist", args=[first.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{job_page(job)}?status={Proposal.Status.SUBMITTED}",
    )
    html = response.content.decode()
    assert response.status_code == 200
    tabs = html[html.index('<nav class="tabs tabs--compact" id="proposal-tabs"') :]
    assert 'hx-swap-oob="true"' in tabs.split(">", 1)[0]
    counts = dict(re.findall(r">(\w[\w ]*) <span class=\"tab-count\">(\d+)</span>", tabs))
    assert counts == {"All": "2", "New": "1", "Shortlisted": "1"}
    # the tab the page shows stays the current one
    assert re.search(r'status=submitted" aria-current="page">New', tabs)


def test_proposal_actions_are_404_for_outsiders(client):
    proposal = make_proposal(make_job())
    for outsider in (proposal.freelancer, make_client()):
        client.force_login(outsider)
        assert client.post(reverse("frontend:proposal_shortlist", args=[proposal.pk])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_publish_close_and_save_as_template(client):
    owner = make_client()
    job = make_job(client=owner, publish=False)
    client.force_login(owner)
    client.post(reverse("frontend:job_publish", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN
    client.post(reverse("frontend:job_save_template", args=[job.pk]), {"name": "Booking pages"})
    assert JobTemplate.objects.get().name == "Booking pages"
    client.post(reverse("frontend:job_close", args=[job.pk]), {"reason": "Hired a friend"})
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED
    closing = StatusChange.objects.get(target_type="jobs.job", target_id=job.pk, to_status="closed")
    assert closing.reason == "Hired a friend"
    # the page says when, by whom and why
    note = ending_note(client.get(job_page(job)).content.decode())
    assert note == f"Closed on {closing.created_at:%-d %b %Y, %H:%M} UTC by you: “Hired a friend”"


def test_a_job_closed_by_hand_with_the_reason_hired_is_not_said_to_be_filled(client):
    owner = make_client()
    job = make_job(client=owner)
    client.force_login(owner)
    client.post(reverse("frontend:job_close", args=[job.pk]), {"reason": "Hired"})
    note = ending_note(client.get(job_page(job)).content.decode())
    assert note.endswith("by you: “Hired”"), note


def ending_note(html: str) -> str:
    found = re.search(r'class="alert [^"]*job-ending"[^>]*>\s*<p>(.*?)</p>', html, re.S)
    assert found, "no note on how the job ended"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_job_filled_by_a_hire_says_who_accepted(client):
    owner = make_client()
    job = make_job(client=owner)
    make_contract(job, freelancer=make_freelancer(full_name="Ana Costa"))
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED
    client.force_login(owner)
    html = client.get(job_page(job)).content.decode()
    note = ending_note(html)
    closed = f"{job.closed_at:%-d %b %Y, %H:%M} UTC"
    assert note == f"Closed on {closed}: filled when Ana Costa accepted the offer."
    assert "alert--success job-note job-ending" in html


def test_an_expired_job_says_when_and_why(client):
    job = make_job()
    with time_machine.travel(job.expires_at + timedelta(minutes=1), tick=False):
        job_expire(job_id=job.pk)
    job.refresh_from_db()
    client.force_login(job.client)
    note = ending_note(client.get(job_page(job)).content.decode())
    expired = f"{job.closed_at:%-d %b %Y, %H:%M} UTC"
    assert note == f"Expired on {expired}: “Open for {settings.JOB_OPEN_DAYS} days”"


def test_an_open_job_has_no_ending_note(client):
    job = make_job()
    client.force_login(job.client)
    assert "job-ending" not in client.get(job_page(job)).content.decode()


def test_the_job_page_makes_the_same_queries_for_1_and_50_proposals(client, settings):
    owner = make_client()
    job = make_job(client=owner, hires_wanted=2)
    milestones = [{"title": "Design", "amount_minor": 40_000}, {"title": "Build", "amount_minor": 100_000}]
    make_proposal(job, milestones=milestones)
    client.force_login(owner)
    page = job_page(job) + "?page=1"
    one = _page_queries(client, page)
    for n in range(49):
        proposal = make_proposal(job, milestones=milestones if n % 2 else None)
        if n % 3 == 0:
            proposal_shortlist(acting_user=owner, proposal=proposal)
    assert _page_queries(client, page) == one


# ---- sending an offer -----------------------------------------------------------------------------


@pytest.fixture
def fees(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000


def _fixed_proposal():
    job = make_job(budget_minor=150_000)
    return make_proposal(
        job,
        amount_minor=140_000,
        milestones=[{"title": "Design", "amount_minor": 40_001}, {"title": "Build", "amount_minor": 99_999}],
    )


def test_the_offer_page_shows_the_fee_breakdown_before_sending(client, fees):
    proposal = _fixed_proposal()
    client.force_login(proposal.job.client)
    html = client.get(reverse("frontend:offer_new", args=[proposal.pk])).content.decode()
    # the whole: 5 % of $1,400.00 = $70.00 on top; 10 % = $140.00 off
    assert re.search(r'data-fee="client-total">\$1,470\.00<', html)
    assert re.search(r'data-fee="freelancer-receives">\$1,260\.00<', html)
    assert "client fee $70.00 (5%)" in html
    assert "freelancer fee $140.00 (10%)" in html
    # per milestone: $400.01 → fees $20.00 / $40.00; $999.99 → the rest, $50.00 / $100.00
    assert "$420.01" in html
    assert "$360.01" in html
    assert "$1,049.99" in html
    assert "$899.99" in html
    assert 'value="400.01"' in html
    assert 'value="999.99"' in html


def test_preview_without_javascript_recomputes_and_sends_nothing(client, fees):
    proposal = _fixed_proposal()
    client.force_login(proposal.job.client)
    data = {
        "title": "Booking page",
        "amount": "1000.00",
        "message": "",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "20",
        "milestones-0-title": "Everything",
        "milestones-0-amount": "1000.00",
        "action": "preview",
    }
    response = client.post(reverse("frontend:offer_new", args=[proposal.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-fee="client-total">\$1,050\.00<', html)
    assert re.search(r'data-fee="freelancer-receives">\$900\.00<', html)
    assert not Offer.objects.exists()

    # htmx asks the breakdown alone as the amounts change
    response = client.post(
        reverse("frontend:offer_fee_preview", args=[proposal.pk]),
        data | {"amount": "200", "milestones-0-amount": "200"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert re.search(r'data-fee="client-total">\$210\.00<', html)

    # and says what is missing while the input is incomplete
    response = client.post(reverse("frontend:offer_fee_preview", args=[proposal.pk]), data | {"amount": ""})
    assert "Enter a valid amount" in response.content.decode()


def test_sending_an_offer_with_changed_milestones(client, fees):
    proposal = _fixed_proposal()
    client.force_login(proposal.job.client)
    data = {
        "title": "Booking page, phase one",
        "amount": "1200",
        "message": "Looking forward to it.",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "20",
        "milestones-0-title": "Design",
        "milestones-0-amount": "500",
        "milestones-1-title": "Build",
        "milestones-1-amount": "700",
        "action": "send",
    }
    response = client.post(reverse("frontend:offer_new", args=[proposal.pk]), data)
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert response.url == reverse("frontend:offer_detail", args=[offer.pk])
    assert (offer.title, offer.amount_minor, offer.message) == (
        "Booking page, phase one",
        120_000,
        "Looking forward to it.",
    )
    assert offer.milestones == [
        {"title": "Design", "amount_minor": 50_000},
        {"title": "Build", "amount_minor": 70_000},
    ]
    assert (offer.client_fee_bp, offer.freelancer_fee_bp) == (500, 1000)


def test_milestones_that_do_not_add_up_are_refused_with_the_input_kept(client, fees):
    proposal = _fixed_proposal()
    client.force_login(proposal.job.client)
    data = {
        "title": "Booking page",
        "amount": "1200",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "20",
        "milestones-0-title": "Everything",
        "milestones-0-amount": "1100",
        "action": "send",
    }
    response = client.post(reverse("frontend:offer_new", args=[proposal.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The milestones must add up to the total price." in html
    assert 'value="1100"' in html
    assert not Offer.objects.exists()


def test_an_hourly_offer_has_a_rate_and_a_weekly_cap(client, fees):
    job = make_job(budget_type="hourly", budget_minor=None, hourly_min_minor=4_000, hourly_max_minor=6_000)
    proposal = make_proposal(job, amount_minor=5_000)
    client.force_login(job.client)
    url = reverse("frontend:offer_new", args=[proposal.pk])
    html = client.get(url).content.decode()
    assert "Hourly rate" in html
    assert "Weekly hour limit" in html
    assert "milestones-TOTAL_FORMS" not in html
    assert re.search(r'data-fee="client-total">\$52\.50<', html)
    response = client.post(
        url, {"title": "Support", "amount": "55", "weekly_hour_cap": "20", "action": "send"}
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.amount_minor, offer.weekly_hour_cap, offer.milestones) == (5_500, 20, [])


def test_the_offer_page_is_404_for_the_freelancer_and_outsiders(client):
    proposal = make_proposal(make_job())
    url = reverse("frontend:offer_new", args=[proposal.pk])
    for outsider in (proposal.freelancer, make_client(), make_user()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"amount": "10", "action": "send"}).status_code == 404
    assert not Offer.objects.exists()


def test_an_offer_already_out_is_said_and_not_sent_twice(client):
    proposal = _fixed_proposal()
    client.force_login(proposal.job.client)
    url = reverse("frontend:offer_new", args=[proposal.pk])
    make_offer(proposal)
    html = client.get(url).content.decode()
    assert "already waiting for an answer" in html
    assert 'value="send"' not in html
    job_html = client.get(job_page(proposal.job)).content.decode()
    assert "Offer sent</span>" in job_html
    assert ">Shortlist</button>" not in job_html  # the offer's answer decides, not the client's sorting


# ---- templates ------------------------------------------------------------------------------------


def test_job_templates_list_post_from_and_delete(client):
    owner = make_client()
    job = make_job(client=owner)
    template = job_template_save(acting_user=owner, job=job, name="Booking pages")
    other = job_template_save(
        acting_user=(someone := make_client()), job=make_job(client=someone), name="Not mine"
    )
    client.force_login(owner)
    html = client.get(reverse("frontend:job_templates")).content.decode()
    assert "Booking pages" in html
    assert "Not mine" not in html
    assert f"{NEW}?template={template.pk}" in html
    assert client.post(reverse("frontend:job_template_delete", args=[other.pk])).status_code == 404
    client.post(reverse("frontend:job_template_delete", args=[template.pk]))
    assert list(JobTemplate.objects.all()) == [other]
    assert "No templates yet" in client.get(reverse("frontend:job_templates")).content.decode()
