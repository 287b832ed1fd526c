"""The milestones API: both parties read a contract's milestones (money, state, deadlines, the work
handed in and its files); the freelancer submits, the client side asks for changes or approves. Who
may act is the services' rule (as on the milestone page): every refusal answers with its code and
changes nothing, and each has a positive control. Money through the fake Stripe: test_money_api.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from escrow.models import Hold, Transfer
from marketplace.contracts.models import Milestone, MilestoneSubmission
from marketplace.contracts.services import contract_cancel, milestone_submit
from marketplace.core.models import StoredFile
from marketplace.organisations.models import Role
from tests.escrow.builders import DESIGN_AND_BUILD, fund_milestone
from tests.factories import add_member, make_client, make_contract, make_organisation, make_user
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a drawing\n"


def url(contract, milestone=None, action: str = "") -> str:
    base = f"/api/contracts/{contract.pk}/milestones/"
    if milestone is None:
        return base
    return f"{base}{milestone.pk}/" + (f"{action}/" if action else "")


def upload(name: str = "notes.txt", data: bytes = b"The first version.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def submit(api, contract, milestone, message="Here is the design.", files=()):
    return api.post(url(contract, milestone, "submit"), {"message": message, "files": list(files)})


def state() -> list:
    """Every milestone's state and work handed in, to show that a refusal changed nothing."""
    return [
        sorted(Milestone.objects.values_list("pk", "status", "auto_approve_at", "approved_at", "hold_id")),
        sorted(MilestoneSubmission.objects.values_list("pk", "message", "revision_message")),
        sorted(StoredFile.objects.values_list("pk", flat=True)),
        sorted(Hold.objects.values_list("pk", "status")),
    ]


def files_on_disk(media_root) -> list:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


@pytest.fixture
def funded():
    """Cleo's contract with Ana: Design ($400) funded, Build ($1,000) not; fees 5 % and 10 %."""
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    design, build = contract.milestones.all()
    fund_milestone(design)
    return contract, design, build


@pytest.fixture
def submitted(funded):
    contract, design, build = funded
    milestone_submit(
        acting_user=contract.freelancer,
        milestone=design,
        message="The design, in two variants.",
        files=[("design.pdf", PDF)],
    )
    return contract, design, build


# --- Reading ------------------------------------------------------------------------------------------


def test_both_parties_read_each_milestones_money_state_deadlines_and_work(submitted):
    contract, design, build = submitted
    for user in (contract.client, contract.freelancer):
        body = as_user(user).get(url(contract)).json()
        assert [m["id"] for m in body["results"]] == [design.pk, build.pk]
        first, second = body["results"]
        assert first["currency"] == "USD"
        assert (first["amount_minor"], first["client_total_minor"], first["freelancer_receives_minor"]) == (
            40_000,
            42_000,
            36_000,
        )
        assert (second["client_total_minor"], second["freelancer_receives_minor"]) == (105_000, 90_000)
        assert first["status"] == "submitted"
        assert second["status"] == "pending"
        assert first["funded_at"]
        assert first["submitted_at"]
        assert first["auto_approve_at"]
        assert second["hold"] is None
        assert second["funded_at"] is None
        [work] = first["submissions"]
        assert work["message"] == "The design, in two variants."
        assert work["submitted_by"]["id"] == contract.freelancer_id
        [file] = work["files"]
        assert (file["name"], file["content_type"]) == ("design.pdf", "application/pdf")
        assert file["url"] == f"/api/attachments/{file['id']}/file/"
        detail = as_user(user).get(url(contract, design)).json()
        assert detail == first


def test_the_milestones_fees_are_the_contracts_split(funded):
    contract, _design, _build = funded
    body = as_user(contract.client).get(f"/api/contracts/{contract.pk}/").json()
    whole = body["fees"]["whole"]
    milestones = body["milestones"]
    assert sum(m["client_fee_minor"] for m in milestones) == whole["client_fee_minor"]
    assert sum(m["freelancer_fee_minor"] for m in milestones) == whole["freelancer_fee_minor"]
    assert [m["status"] for m in milestones] == ["funded", "pending"]
    assert milestones[0]["funded_at"]
    assert milestones[0]["hold"]
    listed = as_user(contract.client).get(url(contract)).json()["results"]
    assert [{k: m[k] for k in milestones[0]} for m in listed] == milestones


def test_a_submitted_file_downloads_for_the_parties_only(submitted, django_capture_on_commit_callbacks):
    contract, design, _ = submitted
    file = design.submissions.get().attachments.get()
    link = f"/api/attachments/{file.pk}/file/"
    for user in (contract.client, contract.freelancer, make_user(staff=True)):
        response = as_user(user).get(link)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
    assert_error(as_user(make_client()).get(link), 404, "attachment_not_found")
    assert_error(as_user(None).get(link), 404, "attachment_not_found")  # as for a private job's file
    # Work handed in stays as it was handed in, even for the freelancer who uploaded it.
    before = state()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(contract.freelancer).delete(f"/api/attachments/{file.pk}/")
    assert_error(response, 403, "submitted_work")
    assert state() == before
    assert as_user(contract.client).get(link).status_code == 200


def test_the_page_link_to_a_submitted_file_works_too(submitted, client):
    contract, design, _ = submitted
    file = design.submissions.get().attachments.get()
    client.force_login(contract.client)
    assert client.get(f"/files/{file.pk}/").status_code == 200
    client.force_login(make_client())
    assert client.get(f"/files/{file.pk}/").status_code == 404


# --- The work cycle -----------------------------------------------------------------------------------


def test_submit_ask_for_changes_submit_again_and_approve(funded, media_root):
    contract, design, _ = funded
    freelancer, client = as_user(contract.freelancer), as_user(contract.client)

    response = submit(freelancer, contract, design, "Version one.", [upload(), upload("plan.pdf", PDF)])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["auto_approve_at"]
    assert [f["name"] for f in body["submissions"][0]["files"]] == ["notes.txt", "plan.pdf"]
    assert len(files_on_disk(media_root)) == 2

    response = client.post(
        url(contract, design, "revision"), {"message": "Bigger logo, please."}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "revision"
    assert body["auto_approve_at"] is None
    [first] = body["submissions"]
    assert first["revision_message"] == "Bigger logo, please."
    assert first["revision_requested_by"]["id"] == contract.client_id
    assert first["revision_requested_at"]

    response = submit(freelancer, contract, design, "Version two.")
    assert response.status_code == 200, response.content
    assert [s["message"] for s in response.json()["submissions"]] == ["Version one.", "Version two."]

    response = client.post(url(contract, design, "approve"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved"
    assert body["approved_at"]
    assert body["auto_approve_at"] is None
    # No payout account yet: the release waits, for the freelancer's $400 - 10 %.
    transfer = Transfer.objects.get(settlement__hold_id=body["hold"])
    assert (transfer.status, transfer.amount_minor) == (Transfer.Status.BLOCKED, 36_000)


# --- Who may ------------------------------------------------------------------------------------------


def test_strangers_and_anonymous_visitors_get_nothing(submitted):
    contract, design, build = submitted
    before = state()
    stranger, anonymous = as_user(make_client()), as_user(None)
    for api, status, code in ((stranger, 404, "contract_not_found"), (anonymous, 403, "not_authenticated")):
        assert_error(api.get(url(contract)), status, code)
        assert_error(api.get(url(contract, design)), status, code)
        assert_error(submit(api, contract, build, "Mine now."), status, code)
        assert_error(api.post(url(contract, design, "revision"), {"message": "Redo it."}), status, code)
        assert_error(api.post(url(contract, design, "approve")), status, code)
        assert_error(api.post(url(contract, build, "fund")), status, code)
        assert_error(api.post(url(contract, build, "fund/confirm"), {"payment_intent": "pi_x"}), status, code)
    assert state() == before
    # Positive control: the client may.
    assert as_user(contract.client).post(url(contract, design, "approve")).status_code == 200


def test_only_the_freelancer_submits_and_only_the_client_answers(submitted):
    contract, design, _build = submitted
    freelancer, client = as_user(contract.freelancer), as_user(contract.client)
    before = state()
    assert_error(
        client.post(url(contract, design, "submit"), {"message": "Mine."}), 403, "not_the_freelancer"
    )
    assert_error(
        freelancer.post(url(contract, design, "revision"), {"message": "Redo it."}), 403, "not_job_owner"
    )
    assert_error(freelancer.post(url(contract, design, "approve")), 403, "not_job_owner")
    assert state() == before
    # Positive controls: the client asks for changes, the freelancer hands in again.
    assert client.post(url(contract, design, "revision"), {"message": "Redo it."}).status_code == 200
    assert submit(freelancer, contract, design, "Redone.").status_code == 200


def test_an_organisations_members_act_by_their_roles(django_capture_on_commit_callbacks):
    organisation = make_organisation()
    viewer = add_member(organisation, Role.VIEWER)
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    finance = add_member(organisation, Role.FINANCE)
    contract = make_contract(
        milestones=DESIGN_AND_BUILD,
        client=organisation.memberships.get(role=Role.OWNER).user,
        organisation=organisation,
    )
    design = contract.milestones.first()
    fund_milestone(design)
    milestone_submit(acting_user=contract.freelancer, milestone=design, message="Done.")
    # Every member reads it (a viewer too).
    for member in (viewer, hiring, finance):
        assert as_user(member).get(url(contract, design)).status_code == 200
    # Each is offered exactly what their role may do (the refusals below, the controls after them).
    build = contract.milestones.last()

    def offered(user, milestone) -> list[str]:
        return as_user(user).get(url(contract, milestone)).json()["actions"]

    assert (offered(viewer, design), offered(viewer, build)) == ([], [])
    assert (offered(hiring, design), offered(hiring, build)) == (["request_revision"], ["fund"])
    assert (offered(finance, design), offered(finance, build)) == (["approve"], ["fund"])
    assert offered(contract.client, design) == ["request_revision", "approve"]
    assert (offered(contract.freelancer, design), offered(contract.freelancer, build)) == ([], [])
    assert (
        with_key(as_user(None), make_api_key(organisation)).get(url(contract, design)).json()["actions"] == []
    )
    before = state()
    assert_error(
        as_user(viewer).post(url(contract, design, "revision"), {"message": "Redo it."}), 403, "role_forbids"
    )
    assert_error(as_user(viewer).post(url(contract, design, "approve")), 403, "role_forbids")
    assert_error(
        as_user(finance).post(url(contract, design, "revision"), {"message": "Redo it."}), 403, "role_forbids"
    )
    assert_error(as_user(hiring).post(url(contract, design, "approve")), 403, "role_forbids")
    assert_error(as_user(viewer).post(url(contract, contract.milestones.last(), "fund")), 403, "role_forbids")
    assert_error(submit(as_user(finance), contract, design, "Handing in."), 403, "not_the_freelancer")
    outsider = add_member(make_organisation(), Role.OWNER)
    assert_error(as_user(outsider).get(url(contract, design)), 404, "contract_not_found")
    assert state() == before
    # Positive controls: the hiring manager asks for changes, finance approves.
    assert as_user(hiring).post(url(contract, design, "revision"), {"message": "Redo it."}).status_code == 200
    assert (offered(contract.freelancer, design), offered(hiring, design)) == (["submit"], [])
    milestone_submit(acting_user=contract.freelancer, milestone=design, message="Redone.")
    assert as_user(finance).post(url(contract, design, "approve")).status_code == 200


def test_an_organisations_api_key_reads_its_own_milestones_and_changes_nothing():
    own, other = make_organisation(), make_organisation()
    ours = make_contract(milestones=DESIGN_AND_BUILD, client=own.memberships.get().user, organisation=own)
    theirs = make_contract(
        milestones=DESIGN_AND_BUILD, client=other.memberships.get().user, organisation=other
    )
    design = ours.milestones.first()
    fund_milestone(design)
    milestone_submit(acting_user=ours.freelancer, milestone=design, message="Done.", files=[("a.pdf", PDF)])
    api = with_key(as_user(None), make_api_key(own))
    assert [m["id"] for m in api.get(url(ours)).json()["results"]] == list(
        ours.milestones.values_list("pk", flat=True)
    )
    assert api.get(url(ours, design)).json()["status"] == "submitted"
    file = design.submissions.get().attachments.get()
    assert api.get(f"/api/attachments/{file.pk}/file/").status_code == 200
    assert_error(api.get(url(theirs)), 404, "contract_not_found")
    assert_error(api.get(url(theirs, theirs.milestones.first())), 404, "contract_not_found")
    other_design = theirs.milestones.first()
    fund_milestone(other_design)
    milestone_submit(
        acting_user=theirs.freelancer, milestone=other_design, message="x", files=[("b.pdf", PDF)]
    )
    other_file = other_design.submissions.get().attachments.get()
    assert_error(api.get(f"/api/attachments/{other_file.pk}/file/"), 404, "attachment_not_found")
    before = state()
    assert_error(api.post(url(ours, design, "approve")), 403, "api_key_read_only")
    assert_error(api.post(url(ours, design, "revision"), {"message": "Redo it."}), 403, "api_key_read_only")
    assert_error(api.post(url(ours, ours.milestones.last(), "fund")), 403, "api_key_read_only")
    assert_error(api.get("/api/me/earnings/"), 403, "api_key_not_allowed")
    assert_error(api.get("/api/me/receipts/"), 403, "api_key_not_allowed")
    assert state() == before


# --- Bad input and illegal moves ------------------------------------------------------------------------


def test_a_submission_needs_a_message(funded):
    contract, design, _ = funded
    before = state()
    for message in ("", "   "):
        error = assert_error(
            submit(as_user(contract.freelancer), contract, design, message), 400, "message_required"
        )
        assert "message" in error["fields"]
    assert_error(as_user(contract.freelancer).post(url(contract, design, "submit"), {}), 400, "invalid")
    assert state() == before


def test_six_files_are_refused_and_leave_nothing(funded, media_root):
    contract, design, _ = funded
    before = state()
    six = [upload(f"part-{n}.txt") for n in range(6)]
    assert_error(
        submit(as_user(contract.freelancer), contract, design, files=six), 409, "too_many_attachments"
    )
    assert state() == before
    assert files_on_disk(media_root) == []
    five = [upload(f"part-{n}.txt") for n in range(5)]
    assert submit(as_user(contract.freelancer), contract, design, files=five).status_code == 200


def test_a_refused_file_refuses_the_whole_submission_and_leaves_no_file(funded, media_root):
    contract, design, _ = funded
    before = state()
    files = [upload("notes.txt"), upload("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")]
    assert_error(
        submit(as_user(contract.freelancer), contract, design, files=files),
        415,
        "unsupported_attachment_type",
    )
    assert state() == before
    assert files_on_disk(media_root) == []
    assert_error(
        submit(as_user(contract.freelancer), contract, design, files=[upload("empty.txt", b"")]),
        400,
        "empty_file",
    )


def test_asking_for_changes_needs_a_reason(submitted):
    contract, design, _ = submitted
    before = state()
    for body in ({"message": ""}, {"message": "ok"}, {}):
        response = as_user(contract.client).post(url(contract, design, "revision"), body, format="json")
        assert_error(response, 400, "invalid" if not body else "message_required")
    assert state() == before


def test_moves_the_state_does_not_allow_are_refused(funded):
    contract, design, build = funded
    freelancer, client = as_user(contract.freelancer), as_user(contract.client)
    before = state()
    assert_error(submit(freelancer, contract, build, "Unfunded work."), 409, "illegal_transition")
    assert_error(
        client.post(url(contract, design, "approve")), 409, "illegal_transition"
    )  # nothing handed in
    assert_error(
        client.post(url(contract, design, "revision"), {"message": "Redo it."}), 409, "illegal_transition"
    )
    assert_error(client.post(url(contract, design, "fund")), 409, "already_funded")
    assert state() == before
    contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    assert_error(submit(freelancer, contract, design, "Too late."), 409, "contract_not_active")


def test_unknown_and_foreign_ids_are_not_found(funded):
    contract, design, _ = funded
    mine_too = make_contract(
        milestones=DESIGN_AND_BUILD, client=contract.client
    )  # the client's, but another contract
    client = as_user(contract.client)
    elsewhere = mine_too.milestones.first()
    body = {"message": "Well-formed input.", "payment_intent": "pi_unknown"}  # only the ids are wrong
    for path in ("", "submit/", "revision/", "approve/", "fund/", "fund/confirm/"):
        method = client.post if path else client.get
        assert_error(method(f"{url(contract)}{elsewhere.pk}/{path}", body), 404, "milestone_not_found")
        assert_error(method(f"{url(contract)}999999/{path}", body), 404, "milestone_not_found")
        answer = method(f"/api/contracts/999999/milestones/{design.pk}/{path}", body)
        assert_error(answer, 404, "contract_not_found")
    assert_error(client.get("/api/contracts/99999999999999999999/milestones/"), 404, "contract_not_found")
    assert_error(client.get(f"{url(contract)}99999999999999999999/"), 404, "milestone_not_found")
    # A negative id matches no route at all: 404 (Django's own page, as for every /api/ path).
    assert client.get(f"/api/contracts/{contract.pk}/milestones/-1/").status_code == 404
    assert client.get(f"/api/contracts/-{contract.pk}/milestones/").status_code == 404
    assert client.get(f"/api/contracts/{contract.pk}/ledger/").status_code == 200  # control


def test_who_may_not_act_hears_404_or_403_before_anything_about_the_body(submitted):
    """The contract as the caller may see it (404), then the service's permission (403), then the body
    (400, or 415 for the multipart submission sent as JSON): an empty JSON body from each caller."""
    organisation = make_organisation()
    viewer = add_member(organisation, Role.VIEWER)
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    ours = make_contract(
        milestones=DESIGN_AND_BUILD,
        client=organisation.memberships.get(role=Role.OWNER).user,
        organisation=organisation,
    )
    contract, design, build = submitted
    stranger = add_member(make_organisation(), Role.OWNER)
    before = state()

    def post(user, path: str, on=contract):
        return as_user(user).post(f"/api/contracts/{on.pk}/{path}", {}, format="json")

    cancel, confirm = "cancel/", f"milestones/{build.pk}/fund/confirm/"
    submit_work, revision = f"milestones/{design.pk}/submit/", f"milestones/{design.pk}/revision/"
    for path in (cancel, confirm, submit_work, revision):
        assert_error(post(stranger, path), 404, "contract_not_found")
    assert_error(post(contract.freelancer, confirm), 403, "not_job_owner")
    assert_error(post(contract.client, submit_work), 403, "not_the_freelancer")
    assert_error(post(contract.freelancer, revision), 403, "not_job_owner")
    # An organisation's roles without the permission (cancelling needs manage_jobs, funding fund_work).
    assert_error(post(viewer, "cancel/", on=ours), 403, "role_forbids")
    ours_confirm = f"milestones/{ours.milestones.last().pk}/fund/confirm/"
    assert_error(post(viewer, ours_confirm, on=ours), 403, "role_forbids")
    assert_error(post(ours.freelancer, ours_confirm, on=ours), 403, "not_a_member")
    assert state() == before
    # Positive controls: those who may act hear about the body.
    assert_error(post(contract.freelancer, cancel), 400, "invalid")
    assert_error(post(hiring, "cancel/", on=ours), 400, "invalid")
    assert_error(post(contract.client, confirm), 400, "invalid")
    assert_error(post(contract.client, revision), 400, "invalid")
    assert post(contract.freelancer, submit_work).status_code == 415
    assert state() == before
