"""Each jobs event notifies the right people (and nobody else), with a title, a line and a link;
offers are also emailed at once, nothing else is."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.contracts.services import contract_cancel, contract_complete, offer_accept
from marketplace.core.exceptions import PermissionDenied
from marketplace.jobs.models import Job, Offer
from marketplace.jobs.services import (
    expire_due,
    job_close,
    job_invite,
    offer_decline,
    offer_withdraw,
    proposal_archive,
    proposal_decline,
    proposal_shortlist,
)
from marketplace.organisations.models import Role
from messaging.models import Notification
from tests.factories import (
    add_member,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what the services send after commit (the events, then the notifications' own pushes
    and emails), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def told(kind: str) -> dict[int, Notification]:
    """Recipient id → their notification of this kind (exactly one each)."""
    rows = list(Notification.objects.filter(kind=kind))
    by_recipient = {row.recipient_id: row for row in rows}
    assert len(by_recipient) == len(rows), "someone was told twice"
    return by_recipient


@pytest.fixture
def org_job():
    """An organisation's job, posted by its hiring manager, with a member of every role."""
    organisation = make_organisation(name="Acme Robotics")
    owner = organisation.memberships.get(role=Role.OWNER).user
    people = {Role.OWNER: owner}
    for role in (Role.ADMIN, Role.HIRING_MANAGER, Role.FINANCE, Role.VIEWER):
        people[role] = add_member(organisation, role)
    job = make_job(client=people[Role.HIRING_MANAGER], organisation=organisation, title="Pick-and-place arm")
    return job, people


def test_an_invitation_tells_the_freelancer_only(after_commit):
    job = make_job(title="Booking page for a yoga studio")
    freelancer, bystander = make_freelancer(full_name="Ana Costa"), make_freelancer()
    profile_handle = freelancer.freelancer_profile.handle

    after_commit(
        job_invite,
        acting_user=job.client,
        job=job,
        freelancer_handle=profile_handle,
        message="You'd be great.",
    )

    notes = told(Kind.JOB_INVITATION)
    assert set(notes) == {freelancer.pk}
    note = notes[freelancer.pk]
    assert "Booking page for a yoga studio" in note.title
    assert job.client.full_name in note.title
    assert note.body == "You'd be great."
    assert note.url == reverse("frontend:my_invitations")
    assert note.actor_id == job.client_id
    assert note.read_at is None
    assert not Notification.objects.filter(recipient__in=[job.client, bystander]).exists()


def test_a_proposal_tells_the_poster_and_the_members_who_manage_jobs(after_commit, org_job):
    job, people = org_job
    freelancer = make_freelancer(full_name="Kwame Mensah")

    after_commit(make_proposal, job, freelancer=freelancer, amount_minor=123_450)

    notes = told(Kind.PROPOSAL_RECEIVED)
    assert set(notes) == {people[Role.HIRING_MANAGER].pk, people[Role.OWNER].pk}
    note = notes[people[Role.OWNER].pk]
    assert note.title == "New proposal on “Pick-and-place arm”"
    assert note.body == "Kwame Mensah proposes $1,234.50."
    assert note.url == reverse("frontend:job_proposals", args=[job.pk])
    assert Notification.objects.count() == 2  # admin, finance, viewer and the freelancer: nothing


def test_a_proposal_on_a_personal_job_tells_its_client(after_commit):
    job = make_job()
    after_commit(make_proposal, job)
    assert set(told(Kind.PROPOSAL_RECEIVED)) == {job.client_id}


def test_shortlisting_and_declining_tell_the_freelancer_archiving_does_not(after_commit):
    job = make_job(title="Logo for a bakery")
    shortlisted, declined, archived = (make_proposal(job) for _ in range(3))
    Notification.objects.all().delete()

    after_commit(proposal_shortlist, acting_user=job.client, proposal=shortlisted)
    after_commit(proposal_decline, acting_user=job.client, proposal=declined, message="We went local.")
    after_commit(proposal_archive, acting_user=job.client, proposal=archived)

    assert set(told(Kind.PROPOSAL_SHORTLISTED)) == {shortlisted.freelancer_id}
    assert told(Kind.PROPOSAL_SHORTLISTED)[shortlisted.freelancer_id].url == reverse(
        "frontend:job_detail", args=[job.pk]
    )
    note = told(Kind.PROPOSAL_DECLINED)[declined.freelancer_id]
    assert note.title == "Your proposal for “Logo for a bakery” was declined"
    assert note.body == "We went local."
    assert Notification.objects.count() == 2
    assert not mail.outbox


def test_an_offer_is_notified_and_emailed_to_the_freelancer(after_commit):
    job = make_job(title="Booking page")
    proposal = make_proposal(job)
    Notification.objects.all().delete()
    mail.outbox.clear()

    offer = after_commit(make_offer, proposal, message="Looking forward to it.")

    note = told(Kind.OFFER_RECEIVED)[proposal.freelancer_id]
    assert Notification.objects.count() == 1
    assert note.title == f"Offer from {job.client.full_name}: “Booking page”"
    assert note.body.startswith("$1,400.00; answer within 7 days")
    assert note.url == reverse("frontend:offer_detail", args=[offer.pk])
    [email] = mail.outbox
    assert email.to == [proposal.freelancer.email]
    assert email.subject == f"{settings.EMAIL_SUBJECT_PREFIX}{note.title}"
    assert "$1,400.00, fixed price" in email.body
    assert "Looking forward to it." in email.body
    assert f"/offers/{offer.pk}/" in email.body


def test_accepting_tells_and_emails_the_client_side_and_starts_the_contract_for_both(after_commit, org_job):
    job, people = org_job
    proposal = make_proposal(job, freelancer=make_freelancer(full_name="Mei Lin"))
    offer = make_offer(proposal, acting_user=people[Role.OWNER])
    Notification.objects.all().delete()
    mail.outbox.clear()

    contract = after_commit(offer_accept, acting_user=proposal.freelancer, offer=offer)

    client_side = {people[Role.HIRING_MANAGER].pk, people[Role.OWNER].pk}
    accepted = told(Kind.OFFER_ACCEPTED)
    assert set(accepted) == client_side
    assert accepted[people[Role.OWNER].pk].title == "Mei Lin accepted your offer “Pick-and-place arm”"
    assert accepted[people[Role.OWNER].pk].url == reverse("frontend:contract_detail", args=[contract.pk])
    started = told(Kind.CONTRACT_STARTED)
    assert set(started) == client_side | {proposal.freelancer_id}
    assert started[proposal.freelancer_id].body == "With Acme Robotics, $1,400.00."
    assert started[people[Role.OWNER].pk].body == "With Mei Lin, $1,400.00."
    assert Notification.objects.count() == 5
    # Emails: the offer's answer to the client side, nothing for the contract notifications.
    assert sorted(address for email in mail.outbox for address in email.to) == sorted(
        [people[Role.HIRING_MANAGER].email, people[Role.OWNER].email]
    )
    assert all("accepted your offer" in email.subject for email in mail.outbox)


def test_declining_tells_and_emails_the_client_with_the_reason(after_commit):
    job = make_job(title="Booking page")
    proposal = make_proposal(job, freelancer=make_freelancer(full_name="Olena Kovalenko"))
    offer = make_offer(proposal)
    Notification.objects.all().delete()
    mail.outbox.clear()

    after_commit(offer_decline, acting_user=proposal.freelancer, offer=offer, reason="Booked until May.")

    note = told(Kind.OFFER_DECLINED)[job.client_id]
    assert Notification.objects.count() == 1  # the proposal returning to the shortlist is not news
    assert note.title == "Olena Kovalenko declined your offer “Booking page”"
    assert note.body == "Booked until May."
    assert note.url == reverse("frontend:job_proposals", args=[job.pk])
    [email] = mail.outbox
    assert email.to == [job.client.email]
    assert "Booked until May." in email.body


def test_a_withdrawn_offer_tells_and_emails_the_freelancer_at_once(after_commit):
    """Offers are emailed at once (PRODUCT.md), a withdrawn one in the generic notification email."""
    proposal = make_proposal(make_job())
    offer = make_offer(proposal)
    Notification.objects.all().delete()
    mail.outbox.clear()

    after_commit(offer_withdraw, acting_user=offer.client, offer=offer, reason="Budget cut.")

    note = told(Kind.OFFER_WITHDRAWN)[proposal.freelancer_id]
    assert note.body == "Budget cut."
    assert note.url == reverse("frontend:offer_detail", args=[offer.pk])
    assert Notification.objects.count() == 1
    [email] = mail.outbox
    assert email.to == [proposal.freelancer.email]
    assert email.subject == f"{settings.EMAIL_SUBJECT_PREFIX}{note.title}"
    assert "Budget cut." in email.body
    assert f"{settings.SITE_URL}/offers/{offer.pk}/" in email.body


def test_closing_a_job_withdraws_its_live_offer_and_tells_that_freelancer(after_commit):
    job = make_job()
    offer = make_offer(make_proposal(job))
    Notification.objects.all().delete()

    after_commit(job_close, acting_user=job.client, job=job)

    assert set(told(Kind.OFFER_WITHDRAWN)) == {offer.freelancer_id}
    assert Notification.objects.count() == 1


def test_completing_tells_the_freelancer_and_cancelling_tells_the_other_party(after_commit, org_job):
    job, people = org_job
    done = make_contract(job)
    Notification.objects.all().delete()

    after_commit(contract_complete, acting_user=people[Role.OWNER], contract=done, note="Great work.")

    note = told(Kind.CONTRACT_COMPLETED)[done.freelancer_id]
    assert Notification.objects.count() == 1
    assert note.title == "Contract completed: “Pick-and-place arm”"
    assert note.body == "Acme Robotics marked it completed: Great work."
    assert note.url == reverse("frontend:contract_detail", args=[done.pk])

    by_freelancer = make_contract(make_job(client=people[Role.OWNER], organisation=job.organisation))
    by_client = make_contract(make_job(client=people[Role.OWNER], organisation=job.organisation))
    Notification.objects.all().delete()
    after_commit(
        contract_cancel,
        acting_user=by_freelancer.freelancer,
        contract=by_freelancer,
        reason="Moving abroad.",
        cancel_reason="plans_changed",
    )
    after_commit(
        contract_cancel,
        acting_user=people[Role.HIRING_MANAGER],
        contract=by_client,
        reason="Project stopped.",
        cancel_reason="plans_changed",
    )

    cancelled = told(Kind.CONTRACT_CANCELLED)
    assert set(cancelled) == {people[Role.OWNER].pk, people[Role.HIRING_MANAGER].pk, by_client.freelancer_id}
    assert cancelled[people[Role.OWNER].pk].body.endswith("cancelled it: Moving abroad.")
    assert cancelled[by_client.freelancer_id].body == "Acme Robotics cancelled it: Project stopped."
    assert not mail.outbox


def test_expiry_warns_then_expires_the_client_side_and_expires_offers_for_freelancers(after_commit, org_job):
    job, people = org_job
    offer = make_offer(make_proposal(job), acting_user=people[Role.OWNER])
    client_side = {people[Role.OWNER].pk, people[Role.HIRING_MANAGER].pk}
    Notification.objects.all().delete()

    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() + timedelta(days=4, hours=12))
    after_commit(expire_due)
    warned = told(Kind.JOB_EXPIRING)
    assert set(warned) == client_side
    assert warned[people[Role.OWNER].pk].title == "Your job “Pick-and-place arm” expires in 5 days"
    assert warned[people[Role.OWNER].pk].url == reverse("frontend:job_proposals", args=[job.pk])
    after_commit(expire_due)  # warned once only
    assert len(told(Kind.JOB_EXPIRING)) == 2

    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    after_commit(expire_due)
    assert set(told(Kind.OFFER_EXPIRED)) == {offer.freelancer_id}

    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    after_commit(expire_due)
    expired = told(Kind.JOB_EXPIRED)
    assert set(expired) == client_side
    assert expired[people[Role.OWNER].pk].title == "Your job “Pick-and-place arm” expired"
    assert Notification.objects.count() == 5
    # The expired offer is emailed at once; the job's news waits for the digest.
    [email] = mail.outbox
    assert email.to == [offer.freelancer.email]
    assert "Offer expired" in email.subject


def test_nothing_is_told_before_commit():
    """The events go out after commit; inside the still-open transaction nothing exists yet."""
    make_proposal(make_job())
    assert not Notification.objects.exists()


def test_a_failing_receiver_is_logged_and_the_change_stands(after_commit, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr("messaging.receivers.notification_create", broken)
    job = make_job()

    proposal = after_commit(make_proposal, job)

    assert proposal.pk
    assert not Notification.objects.exists()
    assert "Notification receiver proposal_submitted failed" in caplog.text


def test_a_client_acting_on_another_clients_job_is_refused_and_nobody_is_told(after_commit):
    job = make_job()
    proposal = make_proposal(job)
    Notification.objects.all().delete()
    with pytest.raises(PermissionDenied):
        after_commit(proposal_shortlist, acting_user=make_client(), proposal=proposal)
    assert not Notification.objects.exists()
