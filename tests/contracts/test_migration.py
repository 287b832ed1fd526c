"""An existing database, as it was before contracts had their own app and files their kernel home,
migrates forward with nothing lost: contracts, milestones and submissions keep their rows and ids,
every attachment becomes a stored file with the same id and path, linked from its job, proposal or
submission, and the rows that name the moved models by label follow them.

The test rolls the real test database back to ``jobs 0002`` (PostgreSQL), writes rows there with
the historical models, and migrates forward again.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from marketplace.contracts.models import Contract, Milestone, MilestoneSubmission
from marketplace.contracts.selectors import contract_history
from marketplace.core.files import file_for_viewer
from marketplace.core.models import StatusChange, StoredFile
from marketplace.jobs.models import Job, Proposal
from marketplace.jobs.services import job_attachment_add, proposal_attachment_add
from tests.factories import make_job, make_offer, make_proposal
from tests.support.migrations import back_to_latest, latest, migrate_to  # noqa: F401 (fixture)

PDF = b"%PDF-1.4\n% a brief\n"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("back_to_latest")]

BEFORE = [("jobs", "0002_milestone_money"), ("contracts", None)]


def test_contracts_and_attachments_survive_the_move(media_root):
    offer = make_offer(make_proposal(make_job()))
    job, proposal = offer.job, offer.proposal

    old = migrate_to(BEFORE)
    OldContract = old.get_model("jobs", "Contract")
    contract = OldContract.objects.create(
        offer_id=offer.pk,
        job_id=job.pk,
        client_id=offer.client_id,
        freelancer_id=offer.freelancer_id,
        title="Booking page",
        budget_type="fixed",
        currency="USD",
        amount_minor=140_000,
        client_fee_bp=500,
        freelancer_fee_bp=1000,
    )
    milestones = [
        old.get_model("jobs", "Milestone").objects.create(
            contract=contract, position=n, title=f"Part {n}", amount_minor=70_000, status=status
        )
        for n, status in ((1, "pending"), (2, "cancelled"))
    ]
    submission = old.get_model("jobs", "MilestoneSubmission").objects.create(
        milestone=milestones[0], submitted_by_id=offer.freelancer_id, message="Here it is."
    )
    Attachment = old.get_model("jobs", "Attachment")
    files = {
        owner: Attachment.objects.create(
            file=f"attachments/2026/11/{owner}.pdf",
            original_name=f"{owner}.pdf",
            content_type="application/pdf",
            size=100 + n,
            uploaded_by_id=offer.client_id,
            **{owner: target},
        )
        for n, (owner, target) in enumerate(
            (("job_id", job.pk), ("proposal_id", proposal.pk), ("submission", submission))
        )
    }
    old_status = old.get_model("core", "StatusChange")
    old_status.objects.create(
        target_type="jobs.contract", target_id=contract.pk, from_status="active", to_status="completed"
    )
    old_status.objects.create(
        target_type="jobs.milestone", target_id=milestones[1].pk, from_status="pending", to_status="cancelled"
    )
    old_type = ContentType.objects.get(app_label="jobs", model="contract").pk

    migrate_to(latest())

    moved = Contract.objects.get(pk=contract.pk)
    assert (moved.offer_id, moved.title, moved.amount_minor, moved.client_fee_bp) == (
        offer.pk,
        "Booking page",
        140_000,
        500,
    )
    assert list(moved.milestones.values_list("pk", "status")) == [
        (milestones[0].pk, "pending"),
        (milestones[1].pk, "cancelled"),
    ]
    handed_in = MilestoneSubmission.objects.get(pk=submission.pk)
    assert handed_in.milestone_id == milestones[0].pk
    # Each attachment is a stored file with its id, path and details, linked from its owner.
    linked = {
        "job_id": Job.objects.get(pk=job.pk).attachments.get(),
        "proposal_id": Proposal.objects.get(pk=proposal.pk).attachments.get(),
        "submission": handed_in.attachments.get(),
    }
    kinds = {
        "job_id": "jobs.job",
        "proposal_id": "jobs.proposal",
        "submission": "contracts.milestonesubmission",
    }
    for owner, before in files.items():
        after = linked[owner]
        assert (after.pk, after.file.name, after.original_name, after.size, after.uploaded_by_id) == (
            before.pk,
            before.file.name,
            before.original_name,
            before.size,
            before.uploaded_by_id,
        )
        assert after.owner_kind == kinds[owner]
        assert file_for_viewer(pk=after.pk, viewer=offer.client) == after  # the download still asks
    # The rows that named the models by label follow them; new files get new ids.
    assert set(StatusChange.objects.values_list("target_type", flat=True)) >= {
        "contracts.contract",
        "contracts.milestone",
    }
    assert not StatusChange.objects.filter(target_type__in=["jobs.contract", "jobs.milestone"]).exists()
    assert [change.to_status for change in contract_history(moved)][-1] == "completed"
    assert ContentType.objects.get(app_label="contracts", model="contract").pk == old_type
    assert not ContentType.objects.filter(app_label="jobs", model__in=["contract", "milestone"]).exists()
    fresh = StoredFile.objects.create(
        owner_kind="jobs.job", file="attachments/x.pdf", original_name="x.pdf", content_type="x", size=1
    )
    assert fresh.pk > max(f.pk for f in files.values())
    assert Milestone.objects.count() == 2


def test_rolling_back_and_forward_again_keeps_every_file_with_its_owner(media_root):
    proposal = make_proposal(make_job())
    job = proposal.job
    brief = job_attachment_add(acting_user=job.client, job=job, data=PDF, name="brief.pdf")
    cv = proposal_attachment_add(acting_user=proposal.freelancer, proposal=proposal, data=PDF, name="cv.pdf")

    old = migrate_to(BEFORE)
    rows = old.get_model("jobs", "Attachment").objects
    assert sorted(rows.values_list("pk", "job_id", "proposal_id", "file")) == [
        (brief.pk, job.pk, None, brief.file.name),
        (cv.pk, None, proposal.pk, cv.file.name),
    ]
    later = rows.create(  # the old code goes on attaching while rolled back
        job_id=job.pk,
        file="attachments/2026/12/later.pdf",
        original_name="later.pdf",
        content_type="x",
        size=1,
    )
    assert later.pk > cv.pk

    migrate_to(latest())

    assert list(Job.objects.get(pk=job.pk).attachments.values_list("pk", flat=True)) == [brief.pk, later.pk]
    assert list(Proposal.objects.get(pk=proposal.pk).attachments.values_list("pk", flat=True)) == [cv.pk]
    assert file_for_viewer(pk=later.pk, viewer=job.client).original_name == "later.pdf"
