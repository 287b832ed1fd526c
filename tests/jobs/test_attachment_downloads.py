"""Job and proposal files reach only those who may see the job or proposal: through the page route
and the API, never as public media. Positive controls: each file reaches its audience."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from marketplace.core.models import FILES_DIR as ATTACHMENTS_DIR
from marketplace.jobs.services import job_attachment_add, job_invite, proposal_attachment_add
from tests.factories import (
    add_member,
    make_client,
    make_freelancer,
    make_job,
    make_organisation,
    make_proposal,
)
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def page_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def fetch(user, attachment) -> int:
    return page_client(user).get(f"/files/{attachment.pk}/").status_code


@pytest.fixture
def world(media_root):
    organisation = make_organisation(name="Acme")
    public = make_job(organisation=organisation)
    invite_only = make_job(visibility="invite_only")
    invited = make_freelancer()
    job_invite(
        acting_user=invite_only.client, job=invite_only, freelancer_handle=invited.freelancer_profile.handle
    )
    proposal = make_proposal(public)
    files = {
        "public": job_attachment_add(acting_user=public.client, job=public, data=PDF, name="Brief.pdf"),
        "invite_only": job_attachment_add(
            acting_user=invite_only.client, job=invite_only, data=PDF, name="Secret brief.pdf"
        ),
        "proposal": proposal_attachment_add(
            acting_user=proposal.freelancer, proposal=proposal, data=PDF, name="Portfolio.pdf"
        ),
    }
    return {
        "organisation": organisation,
        "public": public,
        "invite_only": invite_only,
        "invited": invited,
        "proposal": proposal,
        "files": files,
        "stranger": make_freelancer(),
        "other_client": make_client(),
    }


def test_the_download_is_the_file_under_its_name_and_never_rendered_inline(world):
    response = page_client(None).get(f"/files/{world['files']['public'].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Brief.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_public_jobs_file_reaches_anyone(world):
    for user in (None, world["stranger"], world["other_client"]):
        assert fetch(user, world["files"]["public"]) == 200


def test_an_invite_only_jobs_file_reaches_its_client_and_the_invited_only(world):
    secret = world["files"]["invite_only"]
    assert fetch(world["invite_only"].client, secret) == 200
    assert fetch(world["invited"], secret) == 200
    for outsider in (None, world["stranger"], world["other_client"]):
        assert fetch(outsider, secret) == 404


def test_a_proposals_file_reaches_its_freelancer_and_the_jobs_client_side_only(world):
    file = world["files"]["proposal"]
    viewer = add_member(world["organisation"], "viewer")
    assert fetch(world["proposal"].freelancer, file) == 200
    assert fetch(world["public"].client, file) == 200
    assert fetch(viewer, file) == 200
    for outsider in (None, world["stranger"], world["other_client"], world["invited"]):
        assert fetch(outsider, file) == 404


SPELLINGS = [
    "/media/{name}",
    "/media//{name}",
    "/media/./{name}",
    "/media/images/../{name}",
    "/media/%2F{name}",
    "/media/%2e/{name}",
    "/media/{upper}",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_no_attachment_is_served_as_media_however_its_path_is_spelled(world, spelling):
    for attachment in world["files"].values():
        name = attachment.file.name
        assert name.startswith(ATTACHMENTS_DIR)
        assert Path(attachment.file.path).is_file()
        upper = name.replace("attachments", "ATTACHMENTS", 1)
        response = page_client(attachment.uploaded_by).get(spelling.format(name=name, upper=upper))
        assert response.status_code == 404, spelling


@pytest.mark.parametrize("spelling", ["/media/other/avatar.webp", "/media//other/./avatar.webp"])
def test_other_media_is_still_served(media_root, spelling):
    (media_root / "other").mkdir(parents=True)  # profile images are private too (accounts.views)
    (media_root / "other" / "avatar.webp").write_bytes(b"RIFF")
    assert page_client(None).get(spelling).status_code == 200


def test_the_attachments_folder_is_private_in_the_app_and_in_the_proxy():
    assert ATTACHMENTS_DIR.strip("/") in settings.PRIVATE_MEDIA_DIRS
    nginx = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    assert re.search(r"location \^~ /media/attachments/ \{\s*return 404;", nginx)


def test_anonymous_visitors_download_a_public_jobs_file_over_the_api_too(world):
    response = as_user(None).get(f"/api/attachments/{world['files']['public'].pk}/file/")
    assert response.status_code == 200
    secret = as_user(None).get(f"/api/attachments/{world['files']['invite_only'].pk}/file/")
    assert_error(secret, 404, "attachment_not_found")


@pytest.mark.parametrize("accept", ["application/octet-stream", "application/pdf", "application/json", "*/*"])
def test_the_api_download_ignores_what_the_client_accepts(world, accept):
    job = world["public"]
    response = as_user(job.client).get(
        f"/api/attachments/{world['files']['public'].pk}/file/", HTTP_ACCEPT=accept
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_api_links_to_its_checked_download(world):
    job = world["public"]
    shown = as_user(job.client).get(f"/api/jobs/{job.pk}/").json()["attachments"]
    assert [file["url"] for file in shown] == [f"/api/attachments/{world['files']['public'].pk}/file/"]

    secret = world["files"]["invite_only"]
    response = as_user(world["invited"]).get(f"/api/attachments/{secret.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert_error(
        as_user(world["stranger"]).get(f"/api/attachments/{secret.pk}/file/"), 404, "attachment_not_found"
    )


def test_an_api_key_downloads_its_organisations_files_and_the_public_ones(world):
    own = with_key(as_user(None), make_api_key(world["organisation"]))
    assert own.get(f"/api/attachments/{world['files']['public'].pk}/file/").status_code == 200
    assert own.get(f"/api/attachments/{world['files']['proposal'].pk}/file/").status_code == 200
    assert_error(
        own.get(f"/api/attachments/{world['files']['invite_only'].pk}/file/"), 404, "attachment_not_found"
    )
    other = with_key(as_user(None), make_api_key(make_organisation(name="Other")))
    # A public job's file is anyone's to read, a key's too; a proposal's is its parties' only.
    assert other.get(f"/api/attachments/{world['files']['public'].pk}/file/").status_code == 200
    assert_error(
        other.get(f"/api/attachments/{world['files']['proposal'].pk}/file/"), 404, "attachment_not_found"
    )
