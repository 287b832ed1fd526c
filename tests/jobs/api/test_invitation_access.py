"""An invite-only job is seen by the freelancers whose invitation stands: one who declined it, or whose
invitation the client withdrew, no longer sees the job or its files (404, as if it did not exist),
through the API and the pages alike. The positive control throughout: a freelancer invited and not
declined keeps seeing both. Withdrawing is the client side's (``manage_jobs``), on the API and on the
job's page; every refusal is a 4xx with its code and changes nothing."""

import pytest
from django.urls import reverse

from marketplace.jobs.models import JobInvitation
from marketplace.jobs.services import job_attachment_add, job_invitation_decline, job_invite
from marketplace.organisations.models import Role
from messaging.models import Notification
from tests.factories import add_member, make_client, make_freelancer, make_job, make_organisation
from tests.support.api import as_user, assert_error, make_api_key, with_key
from tests.support.visibility import HIDDEN, SEEN, sees_job

from .helpers import snapshot

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def invite_only(media_root):
    """An organisation's invite-only job with a brief, and two invited freelancers."""
    organisation = make_organisation(name="Poster Ltd")
    job = make_job(organisation=organisation, visibility="invite_only", title="Invited few")
    owner = job.client
    brief = job_attachment_add(acting_user=owner, job=job, data=PDF, name="brief.pdf")
    staying, leaving = make_freelancer(), make_freelancer()
    invitations = {
        freelancer: job_invite(
            acting_user=owner, job=job, freelancer_handle=freelancer.freelancer_profile.handle
        )
        for freelancer in (staying, leaving)
    }
    return job, brief, staying, leaving, invitations


def withdraw_url(job, invitation) -> str:
    return f"/api/jobs/{job.pk}/invitations/{invitation.pk}/withdraw/"


def test_a_declined_invitation_no_longer_shows_the_job_or_its_files(invite_only):
    job, brief, staying, leaving, _ = invite_only
    assert sees_job(leaving, job, brief) == SEEN  # the positive control: invited, they see it all

    response = as_user(leaving).post(
        f"/api/job-invitations/{JobInvitation.objects.get(freelancer=leaving).pk}/decline/",
        {"reason": "Fully booked"},
        format="json",
    )
    assert response.status_code == 200, response.content

    assert sees_job(leaving, job, brief) == HIDDEN
    assert_error(as_user(leaving).get(f"/api/jobs/{job.pk}/"), 404, "job_not_found")
    assert_error(as_user(leaving).get(f"/api/attachments/{brief.pk}/file/"), 404, "attachment_not_found")
    assert sees_job(staying, job, brief) == SEEN
    # Their own answer stays in their list of invitations.
    mine = as_user(leaving).get("/api/job-invitations/").json()["results"]
    assert [(row["job"]["id"], row["status"]) for row in mine] == [(job.pk, "declined")]


def test_the_client_withdraws_an_invitation_and_the_freelancer_loses_the_job(
    invite_only, django_capture_on_commit_callbacks
):
    job, brief, staying, leaving, invitations = invite_only
    owner = job.client

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post(withdraw_url(job, invitations[leaving]))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert sees_job(leaving, job, brief) == HIDDEN
    assert as_user(leaving).get("/api/job-invitations/").json()["results"] == []
    assert_error(
        as_user(leaving).post(f"/api/job-invitations/{invitations[leaving].pk}/decline/", {}, format="json"),
        404,
        "invitation_not_found",
    )
    assert sees_job(staying, job, brief) == SEEN
    listed = as_user(owner).get(f"/api/jobs/{job.pk}/invitations/").json()["results"]
    assert {row["freelancer"]["id"]: row["status"] for row in listed} == {
        staying.pk: "sent",
        leaving.pk: "withdrawn",
    }
    # As with an offer withdrawn, the freelancer hears of it (in the app); nobody else does.
    withdrawn = Notification.objects.filter(kind="job_invitation_withdrawn")
    assert [(note.recipient_id, note.actor_id) for note in withdrawn] == [(leaving.pk, owner.pk)]
    assert "Invited few" in withdrawn.get().title


def _invite(user, job, freelancer):
    body = {"freelancer_handle": freelancer.freelancer_profile.handle}
    return as_user(user).post(f"/api/jobs/{job.pk}/invitations/", body, format="json")


def test_a_withdrawn_invitation_can_be_sent_again(invite_only, django_capture_on_commit_callbacks):
    """The client changed their mind: the same invitation stands again, the freelancer sees the job
    and is told as the first time. A standing or declined one cannot be sent twice (each its code)."""
    job, brief, staying, leaving, invitations = invite_only
    owner = job.client
    assert as_user(owner).post(withdraw_url(job, invitations[leaving])).status_code == 200
    assert sees_job(leaving, job, brief) == HIDDEN

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(owner, job, leaving)

    assert response.status_code == 201, response.content
    assert (response.json()["id"], response.json()["status"]) == (invitations[leaving].pk, "sent")
    assert sees_job(leaving, job, brief) == SEEN
    assert Notification.objects.filter(recipient=leaving, kind="job_invitation").exists()
    assert_error(_invite(owner, job, staying), 409, "already_invited")
    job_invitation_decline(acting_user=staying, invitation=invitations[staying])
    before = snapshot()
    assert_error(_invite(owner, job, staying), 409, "invitation_declined")
    assert snapshot() == before


def test_who_may_not_withdraw_gets_a_code_and_nothing_changes(invite_only):
    job, _, staying, leaving, invitations = invite_only
    invitation = invitations[staying]
    job_invitation_decline(acting_user=leaving, invitation=invitations[leaving])
    other_job = make_job(client=make_client(), visibility="invite_only")
    viewer = add_member(job.organisation, Role.VIEWER)
    key = with_key(as_user(None), make_api_key(job.organisation))
    before = snapshot()

    assert_error(as_user(None).post(withdraw_url(job, invitation)), 403, "not_authenticated")
    assert_error(as_user(make_freelancer()).post(withdraw_url(job, invitation)), 404, "job_not_found")
    assert_error(as_user(staying).post(withdraw_url(job, invitation)), 404, "invitation_not_found")
    assert_error(as_user(viewer).post(withdraw_url(job, invitation)), 403, "role_forbids")
    assert_error(key.post(withdraw_url(job, invitation)), 403, "api_key_read_only")
    assert_error(
        as_user(other_job.client).post(withdraw_url(other_job, invitation)), 404, "invitation_not_found"
    )
    # Declined (or answered with a proposal): there is nothing left to withdraw.
    assert_error(as_user(job.client).post(withdraw_url(job, invitations[leaving])), 409, "illegal_transition")

    assert snapshot() == before
    hiring_manager = add_member(job.organisation, Role.HIRING_MANAGER)  # the positive control
    assert as_user(hiring_manager).post(withdraw_url(job, invitation)).status_code == 200


def test_the_job_page_withdraws_an_invitation(invite_only, client):
    job, brief, staying, leaving, invitations = invite_only
    page_url = reverse("frontend:job_proposals", args=[job.pk])
    withdraw = reverse("frontend:job_invitation_withdraw", args=[job.pk, invitations[leaving].pk])
    client.force_login(job.client)

    html = client.get(page_url).content.decode()
    assert f'action="{withdraw}"' in html
    response = client.post(withdraw, follow=True)

    assert response.redirect_chain[-1][0] == page_url
    html = response.content.decode()
    assert "no longer sees this job" in html
    assert f'action="{withdraw}"' not in html  # withdrawn: no button any more
    assert JobInvitation.objects.get(pk=invitations[leaving].pk).status == "withdrawn"
    assert sees_job(leaving, job, brief) == HIDDEN
    assert sees_job(staying, job, brief) == SEEN


def test_a_viewer_of_the_organisation_sees_no_withdraw_button_and_cannot_post_one(invite_only, client):
    job, _, _, leaving, invitations = invite_only
    withdraw = reverse("frontend:job_invitation_withdraw", args=[job.pk, invitations[leaving].pk])
    client.force_login(add_member(job.organisation, Role.VIEWER))

    assert (
        f'action="{withdraw}"'
        not in client.get(reverse("frontend:job_proposals", args=[job.pk])).content.decode()
    )
    response = client.post(withdraw)

    assert response.status_code == 403  # the refusal page, not a redirect that reads as done
    assert "Your role (Viewer) does not allow you to" in response.content.decode()
    assert JobInvitation.objects.get(pk=invitations[leaving].pk).status == "sent"


def test_declining_on_an_invite_only_jobs_page_leads_to_the_invitations_not_a_404(invite_only, client):
    job, _, _, leaving, invitations = invite_only
    client.force_login(leaving)
    job_url = reverse("frontend:job_detail", args=[job.pk])
    html = client.get(job_url).content.decode()
    decline = reverse("frontend:invitation_decline", args=[invitations[leaving].pk])
    assert f'action="{decline}"' in html
    assert f'name="next" value="{job_url}"' not in html  # the page will be gone once declined

    response = client.post(decline, {"reason": "Fully booked"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("frontend:my_invitations")
    listed = client.get(reverse("frontend:my_invitations") + "?show=all").content.decode()
    assert "Invited few" in listed
    assert f'href="{job_url}"' not in listed  # named, no longer a link
