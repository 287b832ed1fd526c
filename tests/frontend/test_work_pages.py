"""The freelancer's pages: find work (public, filtered), a job's page with the proposal form,
my proposals (edit, withdraw, today's allowance) and invitations (decline)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import City, Skill
from marketplace.core.models import StatusChange, StoredFile
from marketplace.jobs.models import JobInvitation, Proposal
from marketplace.jobs.services import job_attachment_add, job_close, job_invite, proposal_shortlist
from search.services.indexing import index_rebuild
from tests.factories import (
    add_to_pool,
    make_client,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)

pytestmark = pytest.mark.django_db

FIND = reverse("frontend:find_work")
MINE = reverse("frontend:my_proposals")
INVITATIONS = reverse("frontend:my_invitations")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LETTER = "I built three booking sites for studios last year; here is how I would do yours."


def detail(job) -> str:
    return reverse("frontend:job_detail", args=[job.pk])


def propose(job) -> str:
    return reverse("frontend:proposal_new", args=[job.pk])


def titles(html: str) -> list[str]:
    """The job titles listed on find work, in order (highlights taken out)."""
    html = re.sub(r"</?mark>", "", html)
    return re.findall(r'id="job-\d+-title"><a href="[^"]+">([^<]+)</a>', html)


def find(client, data=None):
    """Find work, once the jobs index has every row (the receivers keep it in step elsewhere)."""
    index_rebuild(index="jobs")
    return client.get(FIND, data)


def invite(job, freelancer) -> JobInvitation:
    return job_invite(
        acting_user=job.client,
        job=job,
        freelancer_handle=freelancer.freelancer_profile.handle,
        message="We loved your portfolio; would you have time in March?",
    )


def milestone_data(*rows, prefix: str = "milestones") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, (title, amount) in enumerate(rows):
        data[f"{prefix}-{index}-title"] = title
        data[f"{prefix}-{index}-amount"] = amount
    return data


def fixed_data(amount: str = "1400.00", rows=(("Design", "400.00"), ("Build", "1000.00")), **changes) -> dict:
    return {"cover_letter": LETTER, "amount": amount, "duration": "weeks", **milestone_data(*rows), **changes}


# ---- find work --------------------------------------------------------------------------------------


def test_anonymous_visitors_see_open_public_jobs_only(client):
    organisation = make_organisation()
    make_job(title="Public booking page")
    make_job(title="Invite-only audit", visibility="invite_only")
    make_job(title="Pool-only refit", organisation=organisation, visibility="pool")
    make_job(title="Draft logo", publish=False)
    closed = make_job(title="Closed survey")
    job_close(acting_user=closed.client, job=closed)

    response = find(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == ["Public booking page"]
    assert "1 job open" in html
    assert "Log in</a> to propose" in html


def test_invite_only_and_pool_jobs_are_listed_to_their_audience(client):
    organisation = make_organisation()
    invited, pooled, outsider = make_freelancer(), make_freelancer(), make_freelancer()
    add_to_pool(organisation, pooled)
    invite(make_job(title="Invite-only audit", visibility="invite_only"), invited)
    make_job(title="Pool-only refit", organisation=organisation, visibility="pool")
    make_job(title="Public booking page")

    client.force_login(outsider)
    assert titles(find(client).content.decode()) == ["Public booking page"]
    client.force_login(invited)
    html = find(client).content.decode()
    # opened in the same second: the index's "newest" orders them by id
    assert set(titles(html)) == {"Public booking page", "Invite-only audit"}
    assert "Invite-only</span>" in html
    client.force_login(pooled)
    html = find(client).content.decode()
    assert set(titles(html)) == {"Public booking page", "Pool-only refit"}
    assert "Talent pool</span>" in html


def test_a_row_shows_client_budget_skills_age_and_proposal_count(client):
    organisation = make_organisation(name="Northwind Retail")
    skills = list(Skill.objects.order_by("name")[:2])
    with time_machine.travel(datetime(2031, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        job = make_job(
            title="Hourly shop fitting",
            organisation=organisation,
            budget_type="hourly",
            hourly_min_minor=3_000,
            hourly_max_minor=5_000,
            skills=[skill.pk for skill in skills],
        )
        make_proposal(job, amount_minor=4_000)
        make_proposal(job, amount_minor=4_500)
    with time_machine.travel(datetime(2031, 3, 4, 12, 5, tzinfo=UTC), tick=False):
        html = find(client).content.decode()
    assert "Northwind Retail" in html
    assert '$30.00\u2013$50.00 <span class="muted">an hour</span>' in html
    for skill in skills:
        assert f'<li class="chip">{skill.name}</li>' in html
    assert "3\xa0hours ago" in html
    assert "2 proposals" in html


@pytest.fixture
def catalogue():
    """Jobs that differ in one thing each, so each filter's effect shows."""
    skill_a, skill_b = Skill.objects.order_by("name")[:2]
    city = City.objects.order_by("-population").first()
    make_job(title="Small fixed web job", budget_minor=30_000, skills=[skill_a.pk])
    make_job(title="Big fixed web job", budget_minor=500_000, skills=[skill_b.pk])
    make_job(
        title="Hourly data job",
        category="data",
        budget_type="hourly",
        hourly_min_minor=4_000,
        hourly_max_minor=9_000,
    )
    make_job(title="On-site field job", category="field", location_type="onsite", city=city.pk, radius_km=30)
    make_job(title="Euro design job", category="design", currency="EUR", budget_minor=80_000)
    return {"skill_a": skill_a, "skill_b": skill_b}


ALL = {"Small fixed web job", "Big fixed web job", "Hourly data job", "On-site field job", "Euro design job"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            {
                "Small fixed web job",
                "Big fixed web job",
                "Hourly data job",
                "On-site field job",
                "Euro design job",
            },
        ),
        ("q=fixed", {"Small fixed web job", "Big fixed web job"}),
        ("category=data", {"Hourly data job"}),
        ("budget_type=hourly", {"Hourly data job"}),
        ("budget_type=fixed&category=design", {"Euro design job"}),
        ("location_type=onsite", {"On-site field job"}),
        ("currency=EUR", {"Euro design job"}),
        # a fixed budget within the range, or an hourly range reaching into it
        ("budget_min=1000&currency=USD", {"Big fixed web job", "On-site field job"}),
        ("budget_max=400", {"Small fixed web job", "Hourly data job"}),
        ("budget_min=50&budget_max=85", {"Hourly data job"}),
        ("budget_min=700&budget_max=900", {"Euro design job"}),
    ],
)
def test_each_filter_narrows_the_list(client, catalogue, query, expected):
    html = find(client, QueryDict(query)).content.decode()
    assert set(titles(html)) == expected


def test_the_skills_filter_keeps_jobs_with_any_ticked_skill(client, catalogue):
    html = find(client, {"skills": [catalogue["skill_a"].slug]}).content.decode()
    assert titles(html) == ["Small fixed web job"]
    assert f'id="facet-skills-{catalogue["skill_a"].slug}" checked' in html
    html = find(client, {"skills": [catalogue["skill_a"].slug, catalogue["skill_b"].slug]}).content.decode()
    assert set(titles(html)) == {"Small fixed web job", "Big fixed web job"}


def test_a_budget_with_too_many_decimals_is_an_error_and_not_applied(client, catalogue):
    response = find(client, {"budget_min": "10.005", "q": "web"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "USD amounts use at most 2 decimal places." in html
    assert set(titles(html)) == {"Small fixed web job", "Big fixed web job"}
    assert 'value="10.005"' in html


def test_no_match_says_so_and_offers_to_clear_the_filters(client, catalogue):
    html = find(client, {"q": "submarine"}).content.decode()
    assert "No jobs match these filters" in html
    assert f'href="{FIND}">Clear filters' in html
    assert 'value="submarine"' in html


def test_find_work_pages_through_the_results_keeping_the_filters(client):
    for n in range(23):
        make_job(title=f"Booking page {n}")
    html = find(client, {"q": "booking"}).content.decode()
    assert len(titles(html)) == 20
    assert "23 jobs match these filters" in html
    assert 'href="?q=booking&amp;page=2"' in html
    assert len(titles(find(client, {"q": "booking", "page": 2}).content.decode())) == 3


def _page_queries(client, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_find_work_makes_the_same_queries_for_1_and_50_jobs(client, settings):
    settings.PROPOSAL_DAILY_CAP = 100
    skills = list(Skill.objects.values_list("pk", flat=True)[:3])
    organisation = make_organisation()
    freelancer = make_freelancer()
    add_to_pool(organisation, freelancer)
    make_proposal(make_job(title="First job", skills=skills))
    client.force_login(freelancer)
    index_rebuild(index="jobs")
    one = _page_queries(client, FIND)
    searched = f"{FIND}?q=job&skills={Skill.objects.get(pk=skills[0]).slug}&category=web&budget_min=10"
    searched_one = _page_queries(client, searched)
    city = City.objects.first()
    for n in range(49):
        extra = {"location_type": "onsite", "city": city.pk, "radius_km": 10} if n % 3 == 0 else {}
        job = make_job(title=f"Job {n}", skills=skills, organisation=organisation if n % 2 else None, **extra)
        if n % 4 == 0:
            make_proposal(job)
    assert "50 jobs open" in find(client, {"page": 1}).content.decode()
    assert _page_queries(client, FIND + "?page=1") == one
    assert _page_queries(client, searched) == searched_one


def test_find_work_pages_every_open_job_once_newest_first(client):
    """Walking the pages lists every open job the viewer may see once, newest first, with its
    proposal count; the engine counts them, the page's rows come from the jobs table by id."""
    organisation = make_organisation()
    freelancer = make_freelancer()
    add_to_pool(organisation, freelancer)
    jobs = []
    with time_machine.travel(datetime(2031, 3, 4, 9, 0, tzinfo=UTC), tick=False) as clock:
        for n, vis in enumerate(["public", "pool"] * 11 + ["public"]):
            org = organisation if n % 2 else None
            jobs.append(make_job(title=f"Paged job {n}", organisation=org, visibility=vis))
            clock.shift(60)
    make_proposal(jobs[0])
    make_proposal(jobs[0])
    client.force_login(freelancer)
    html = find(client, {"q": "paged", "page": 2}).content.decode()
    assert "23 jobs match these filters" in html
    seen = titles(find(client, {"q": "paged", "sort": "newest"}).content.decode())
    seen += titles(find(client, {"q": "paged", "sort": "newest", "page": 2}).content.decode())
    assert seen == [f"Paged job {n}" for n in range(22, -1, -1)]
    assert "2 proposals" in find(client, {"page": 2}).content.decode()  # the oldest job, on page 2


def test_find_work_page_numbers_past_the_end_or_not_numbers_show_a_page(client):
    make_job(title="Only job")
    for page in ("0", "abc", "99", "-1"):
        response = find(client, {"page": page})
        assert response.status_code == 200
        assert titles(response.content.decode()) == ["Only job"]


# ---- a job's page ---------------------------------------------------------------------------------


def test_invite_only_and_pool_jobs_are_404_to_outsiders_and_shown_to_their_audience(client):
    organisation = make_organisation()
    invited, pooled, outsider = make_freelancer(), make_freelancer(), make_freelancer()
    add_to_pool(organisation, pooled)
    invite_only = make_job(title="Invite-only audit", visibility="invite_only")
    invite(invite_only, invited)
    pool = make_job(title="Pool-only refit", organisation=organisation, visibility="pool")
    draft = make_job(title="Draft logo", publish=False)

    for job in (invite_only, pool, draft):
        assert client.get(detail(job)).status_code == 404
    client.force_login(outsider)
    for job in (invite_only, pool, draft):
        assert client.get(detail(job)).status_code == 404
    client.force_login(invited)
    assert "Invite-only audit" in client.get(detail(invite_only)).content.decode()
    assert client.get(detail(pool)).status_code == 404
    client.force_login(pooled)
    assert "Pool-only refit" in client.get(detail(pool)).content.decode()
    assert client.get(detail(invite_only)).status_code == 404


def test_anonymous_visitors_read_the_job_and_are_asked_to_log_in(client):
    organisation = make_organisation(name="Northwind Retail")
    job = make_job(
        organisation=organisation, description="We need a **booking page** with a calendar.<script>x</script>"
    )
    job_attachment_add(acting_user=job.client, job=job, data=PDF, name="brief.pdf")
    make_job(organisation=organisation, title="Another job")
    make_job(organisation=organisation, title="An invite-only job", visibility="invite_only")
    html = client.get(detail(job)).content.decode()
    assert "<strong>booking page</strong>" in html
    assert "<script>x" not in html
    assert "$1,500.00" in html
    assert "1 to 4 weeks" in html
    assert "Intermediate" in html
    assert "Remote" in html
    assert "Northwind Retail" in html
    assert re.search(r"<dt>Jobs posted</dt><dd>2</dd>", html)  # the invite-only one is not counted
    assert "brief.pdf</a>" in html
    assert "Log in to propose" in html
    assert 'name="cover_letter"' not in html


def test_the_client_side_sees_a_link_to_its_own_job_page(client):
    job = make_job()
    client.force_login(job.client)
    html = client.get(detail(job)).content.decode()
    assert reverse("frontend:job_proposals", args=[job.pk]) in html
    assert 'name="cover_letter"' not in html


def test_a_freelancer_sees_the_form_with_the_budget_as_a_starting_point(client):
    job = make_job(title="Booking page")
    client.force_login(make_freelancer())
    html = client.get(detail(job)).content.decode()
    assert 'name="cover_letter"' in html
    assert 'name="amount" value="1500.00"' in html
    assert 'name="milestones-0-title" value="Booking page"' in html
    assert "10 of 10 proposals left today" in html
    assert 'src="/static/frontend/milestones.js"' in html
    # one row: nothing to remove (the row template milestones.js adds from keeps its "Remove")
    assert html.count("data-milestone-remove hidden>Remove") == 1
    assert html.count("data-milestone-remove>Remove") == 1


def test_with_two_milestone_rows_each_can_be_removed(client):
    job = make_job()
    client.force_login(make_freelancer())
    html = client.post(propose(job), fixed_data(amount="1500.00")).content.decode()
    assert "data-milestone-remove hidden" not in html
    assert html.count("data-milestone-remove>Remove") == 3  # two rows and the template


def test_a_client_only_account_is_told_to_turn_on_freelancing(client):
    job = make_job()
    client.force_login(make_client())
    html = client.get(detail(job)).content.decode()
    assert "works as a freelancer" in html
    assert 'name="cover_letter"' not in html


# ---- sending a proposal ---------------------------------------------------------------------------


def test_a_fixed_price_proposal_with_two_milestones(client):
    job = make_job()
    freelancer = make_freelancer()
    client.force_login(freelancer)
    response = client.post(
        propose(job), fixed_data(attachments=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"))
    )
    assert response.status_code == 302
    assert response.url == MINE
    proposal = Proposal.objects.get()
    assert (proposal.freelancer, proposal.job, proposal.amount_minor) == (freelancer, job, 140_000)
    assert proposal.milestones == [
        {"title": "Design", "amount_minor": 40_000},
        {"title": "Build", "amount_minor": 100_000},
    ]
    assert proposal.cover_letter == LETTER
    assert proposal.attachments.get().original_name == "plan.pdf"
    html = client.get(MINE).content.decode()
    assert "is sent" in html
    assert "$1,400.00" in html
    assert "9 of 10</strong> proposals left today" in html


def test_an_hourly_proposal(client):
    job = make_job(budget_type="hourly", hourly_min_minor=3_000, hourly_max_minor=5_000, budget_minor=None)
    client.force_login(make_freelancer())
    html = client.get(detail(job)).content.decode()
    assert "Your hourly rate" in html
    assert "milestones-TOTAL_FORMS" not in html
    response = client.post(propose(job), {"cover_letter": LETTER, "amount": "45.50", "duration": "months"})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.amount_minor, proposal.milestones, proposal.duration) == (4_550, [], "months")


def test_milestones_that_do_not_add_up_are_refused_with_the_input_kept(client):
    job = make_job()
    client.force_login(make_freelancer())
    response = client.post(propose(job), fixed_data(amount="1500.00"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "The milestones add up to $1,400.00; the price is $1,500.00." in html
    assert 'name="amount" value="1500.00"' in html
    assert 'value="Design"' in html
    assert 'value="400.00"' in html
    assert LETTER in html
    assert not Proposal.objects.exists()


def test_too_many_decimals_are_refused_next_to_their_fields(client):
    job = make_job()
    client.force_login(make_freelancer())
    response = client.post(propose(job), fixed_data(amount="1400.001"))
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_amount".*?USD amounts use at most 2 decimal places\.', html, re.S)

    response = client.post(propose(job), fixed_data(rows=(("Design", "400.005"), ("Build", "999.995"))))
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_milestones-0-amount".*?USD amounts use at most 2 decimal places', html, re.S)
    assert not Proposal.objects.exists()


def test_an_empty_or_short_cover_letter_is_refused_next_to_the_field(client):
    job = make_job()
    client.force_login(make_freelancer())
    response = client.post(propose(job), fixed_data(cover_letter=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write a cover letter: what you would do and why you fit." in html
    response = client.post(propose(job), fixed_data(cover_letter="Hire me."))
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_cover_letter".*?20 to 10,000 characters', html, re.S)
    assert 'value="1400.00"' in html
    assert not Proposal.objects.exists()


def test_a_refused_file_writes_nothing(client, media_root):
    job = make_job()
    client.force_login(make_freelancer())
    response = client.post(
        propose(job),
        fixed_data(attachments=SimpleUploadedFile("run.exe", b"MZ\x90\x00binary", "application/x")),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "run.exe: This kind of file is not accepted." in html
    assert "choose them again" in html
    assert not Proposal.objects.exists()
    assert not StoredFile.objects.exists()


def test_the_eleventh_proposal_of_the_day_is_refused_with_the_cap_message(client, settings):
    settings.PROPOSAL_DAILY_CAP = 10
    freelancer = make_freelancer()
    with time_machine.travel(datetime(2031, 3, 4, 18, 30, tzinfo=UTC), tick=False):
        for n in range(10):
            make_proposal(make_job(title=f"Job {n}"), freelancer=freelancer)
        job = make_job(title="The eleventh")
        client.force_login(freelancer)
        assert "0 of 10 proposals left today" in client.get(detail(job)).content.decode()
        response = client.post(propose(job), fixed_data())
    html = response.content.decode()
    assert response.status_code == 429
    assert "You have sent 10 proposals today, the daily limit." in html
    assert "after midnight UTC (in about 6 hours)" in html
    assert LETTER in html
    assert Proposal.objects.filter(job=job).count() == 0


def test_a_second_proposal_is_refused_and_the_first_is_summarised(client):
    job = make_job()
    freelancer = make_freelancer()
    proposal = make_proposal(job, freelancer=freelancer)
    client.force_login(freelancer)
    html = client.get(detail(job)).content.decode()
    assert "Your proposal" in html
    assert reverse("frontend:proposal_edit", args=[proposal.pk]) in html
    assert 'name="cover_letter"' not in html
    response = client.post(propose(job), fixed_data())
    assert response.status_code == 409
    assert "You have already sent a proposal for this job." in response.content.decode()
    assert Proposal.objects.count() == 1


def test_a_job_closed_meanwhile_says_so(client):
    job = make_job()
    client.force_login(make_freelancer())
    job_close(acting_user=job.client, job=job)
    response = client.post(propose(job), fixed_data())
    html = response.content.decode()
    assert response.status_code == 409
    assert "This job is closed; you cannot send a proposal." in html
    assert not Proposal.objects.exists()


def test_proposing_on_an_invisible_job_is_404(client):
    job = make_job(visibility="invite_only")
    client.force_login(make_freelancer())
    assert client.post(propose(job), fixed_data()).status_code == 404
    assert not Proposal.objects.exists()


# ---- invitations ----------------------------------------------------------------------------------


def test_an_invited_freelancer_sees_the_message_and_can_decline_from_the_job(client):
    # A public job stays theirs to see once declined (an invite-only one does not:
    # tests/jobs/api/test_invitation_access.py).
    job = make_job(title="Invited audit")
    freelancer = make_freelancer()
    invitation = invite(job, freelancer)
    client.force_login(freelancer)
    html = client.get(detail(job)).content.decode()
    assert "You are invited to propose" in html
    assert "We loved your portfolio" in html
    response = client.post(
        reverse("frontend:invitation_decline", args=[invitation.pk]),
        {"reason": "Fully booked until June", "next": detail(job)},
    )
    assert response.url == detail(job)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "Fully booked until June")
    assert "Declined" in client.get(detail(job)).content.decode()


def test_the_invitations_page_lists_and_declines(client):
    freelancer = make_freelancer()
    first = invite(make_job(title="Audit"), freelancer)
    invite(make_job(title="Refit"), freelancer)
    client.force_login(freelancer)
    html = client.get(INVITATIONS).content.decode()
    assert "Audit" in html
    assert "Refit" in html
    assert "We loved your portfolio" in html
    assert f'{detail(first.job)}#propose">View job and propose' in html
    response = client.post(reverse("frontend:invitation_decline", args=[first.pk]), {"reason": ""})
    assert response.url == INVITATIONS
    html = client.get(INVITATIONS).content.decode()
    assert "Refit" in html
    assert ">Audit<" not in html
    assert ">Audit<" in client.get(INVITATIONS + "?show=all").content.decode()


def test_someone_elses_invitation_cannot_be_declined(client):
    invitation = invite(make_job(), make_freelancer())
    client.force_login(make_freelancer())
    assert client.post(reverse("frontend:invitation_decline", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "sent"


def test_a_proposal_from_an_invitation_is_marked_invited(client):
    job = make_job()
    freelancer = make_freelancer()
    invitation = invite(job, freelancer)
    client.force_login(freelancer)
    client.post(propose(job), fixed_data())
    invitation.refresh_from_db()
    assert invitation.status == "proposed"
    assert "Invited</span>" in client.get(MINE).content.decode()


# ---- my proposals: tabs, edit, withdraw -------------------------------------------------------------


def test_my_proposals_tabs(client):
    freelancer = make_freelancer()
    active = make_proposal(make_job(title="Active job"), freelancer=freelancer)
    offered = make_proposal(make_job(title="Offered job"), freelancer=freelancer)
    make_offer(offered)
    closed = make_proposal(make_job(title="Closed job"), freelancer=freelancer)
    job_close(acting_user=closed.job.client, job=closed.job)
    proposal_shortlist(acting_user=active.job.client, proposal=active)
    client.force_login(freelancer)

    html = client.get(MINE).content.decode()
    assert ">Active job<" in html
    assert ">Offered job<" not in html
    assert ">Closed job<" not in html
    assert "Shortlisted" in html
    assert re.search(r'Active <span class="tab-count">1</span>', html)
    assert re.search(r'Offered <span class="tab-count">1</span>', html)
    html = client.get(MINE + "?show=offers").content.decode()
    assert ">Offered job<" in html
    assert "Answer the offer" in html
    html = client.get(MINE + "?show=ended").content.decode()
    assert ">Closed job<" in html
    assert "Job closed" in html


def test_my_proposals_empty_state_leads_to_find_work(client):
    client.force_login(make_freelancer())
    html = client.get(MINE).content.decode()
    assert "You have not sent a proposal yet" in html
    assert f'href="{FIND}"' in html


def test_editing_a_proposal(client):
    job = make_job()
    freelancer = make_freelancer()
    proposal = make_proposal(job, freelancer=freelancer)
    url = reverse("frontend:proposal_edit", args=[proposal.pk])
    client.force_login(freelancer)
    html = client.get(url).content.decode()
    assert 'name="amount" value="1400.00"' in html
    response = client.post(url, fixed_data(amount="1300.00", rows=(("All of it", "1300.00"),)))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.amount_minor == 130_000
    assert proposal.milestones == [{"title": "All of it", "amount_minor": 130_000}]

    response = client.post(url, fixed_data(amount="1300.00", rows=(("All of it", "1200.00"),)))
    assert response.status_code == 400
    assert "The milestones add up to $1,200.00; the price is $1,300.00." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.amount_minor == 130_000


def test_files_on_a_proposal_are_added_and_removed_on_the_edit_page(client, media_root):
    freelancer = make_freelancer()
    proposal = make_proposal(make_job(), freelancer=freelancer)
    url = reverse("frontend:proposal_edit", args=[proposal.pk])
    client.force_login(freelancer)
    client.post(url, fixed_data(attachments=SimpleUploadedFile("plan.pdf", PDF, "application/pdf")))
    attachment = proposal.attachments.get()
    assert "plan.pdf</a>" in client.get(url).content.decode()
    remove = reverse("frontend:proposal_attachment_remove", args=[proposal.pk, attachment.pk])
    client.force_login(make_freelancer())
    assert client.post(remove).status_code == 404
    client.force_login(freelancer)
    assert client.post(remove).url == url
    assert not proposal.attachments.exists()


def test_withdrawing_a_proposal(client):
    freelancer = make_freelancer()
    proposal = make_proposal(make_job(), freelancer=freelancer)
    url = reverse("frontend:proposal_withdraw", args=[proposal.pk])
    client.force_login(freelancer)
    response = client.post(url, {"reason": "Took another job"})
    assert response.url == MINE
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    change = StatusChange.objects.get(
        target_type="jobs.proposal", target_id=proposal.pk, to_status="withdrawn"
    )
    assert change.reason == "Took another job"
    # no longer editable: the edit page sends back to the list, and a second withdraw is refused
    assert client.get(reverse("frontend:proposal_edit", args=[proposal.pk])).url == MINE
    client.post(url)
    assert "you cannot withdraw it" in client.get(MINE + "?show=ended").content.decode()


def test_someone_elses_proposal_cannot_be_edited_or_withdrawn(client):
    proposal = make_proposal(make_job())
    for who in (make_freelancer(), proposal.job.client):
        client.force_login(who)
        assert client.get(reverse("frontend:proposal_edit", args=[proposal.pk])).status_code == 404
        assert client.post(reverse("frontend:proposal_withdraw", args=[proposal.pk])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_my_proposals_makes_the_same_queries_for_1_and_50_proposals(client, settings):
    settings.PROPOSAL_DAILY_CAP = 100
    freelancer = make_freelancer()
    organisation = make_organisation()
    make_proposal(make_job(), freelancer=freelancer)
    client.force_login(freelancer)
    one = _page_queries(client, MINE)
    for n in range(49):
        job = make_job(title=f"Job {n}", organisation=organisation if n % 2 else None)
        if n % 3 == 0:
            invite(job, freelancer)
        proposal = make_proposal(job, freelancer=freelancer)
        if n % 5 == 0:
            proposal_shortlist(acting_user=job.client, proposal=proposal)
    assert "Job 48" in client.get(MINE).content.decode()
    assert _page_queries(client, MINE + "?page=1") == one


def test_the_invitations_page_makes_the_same_queries_for_1_and_50_invitations(client):
    freelancer = make_freelancer()
    organisation = make_organisation()
    invite(make_job(), freelancer)
    client.force_login(freelancer)
    one = _page_queries(client, INVITATIONS)
    for n in range(49):
        job = make_job(title=f"Job {n}", organisation=organisation if n % 2 else None)
        invite(job, freelancer)
    assert "Job 48" in client.get(INVITATIONS).content.decode()
    assert _page_queries(client, INVITATIONS) == one


def test_pages_need_a_login(client):
    for url in (MINE, INVITATIONS, reverse("frontend:my_offers")):
        assert client.get(url).status_code == 302
    assert client.post(propose(make_job()), fixed_data()).status_code == 302
    assert not Proposal.objects.exists()
