"""Files on jobs and proposals: the type is read from the content, not the name; size, count and
emptiness are limited; a refused file leaves no row and no file behind (each test has its own
MEDIA_ROOT, see the ``media_root`` fixture)."""

import io
import zipfile
from pathlib import Path

import PIL.Image
import pytest
from django.db import IntegrityError, transaction

from marketplace.core.exceptions import (
    Conflict,
    DomainError,
    InvalidInput,
    PayloadTooLarge,
    PermissionDenied,
    UnsupportedMediaType,
)
from marketplace.core.files import file_remove
from marketplace.core.models import StoredFile
from marketplace.jobs.models import Job
from marketplace.jobs.services import job_attachment_add, proposal_attachment_add
from tests.factories import make_client, make_job, make_proposal, make_user
from tests.support.images import SVG_WITH_SCRIPT, image_bytes, jpeg_with_exif

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name.replace("__", "/"), text)
    return out.getvalue()


DOCX = _zip(**{"[Content_Types].xml": "<Types/>", "word__document.xml": "<w:document/>"})


@pytest.fixture(params=["job", "proposal"])
def attach(request):
    """Attach to a job (as its client) or to a proposal (as its freelancer)."""
    job = make_job()
    if request.param == "job":
        return lambda data, name: job_attachment_add(acting_user=job.client, job=job, data=data, name=name)
    proposal = make_proposal(job)
    return lambda data, name: proposal_attachment_add(
        acting_user=proposal.freelancer, proposal=proposal, data=data, name=name
    )


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("data", "name", "content_type", "stored_name"),
    [
        (PDF, "Brief.PDF", "application/pdf", "Brief.pdf"),
        (DOCX, "contract.docx", DOCX_TYPE, "contract.docx"),
        ("Plain notes, UTF-8: café\n".encode(), "notes.txt", "text/plain", "notes.txt"),
        (PDF, "no-extension", "application/pdf", "no-extension.pdf"),  # the content names the type
    ],
)
def test_accepted_files_are_stored_under_a_random_name(
    attach, media_root, data, name, content_type, stored_name
):
    attachment = attach(data, name)

    row = StoredFile.objects.get()
    assert row == attachment
    assert (row.content_type, row.original_name, row.size) == (content_type, stored_name, len(data))
    stored = _files(media_root)
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    assert Path(stored_name).stem not in stored[0].name  # not guessable from the upload's name


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_an_attached_image_is_stored_re_encoded_same_picture(attach, media_root, image_format):
    attachment = attach(image_bytes(image_format, size=(120, 80)), f"mock-up.{image_format.lower()}")

    with PIL.Image.open(_files(media_root)[0]) as stored:
        assert (stored.format, stored.size) == (image_format, (120, 80))
    assert attachment.size == _files(media_root)[0].stat().st_size


def test_an_attached_photo_loses_its_exif_gps_included(attach, media_root):
    """Served to everyone who may see a public job: no camera, no position, turned upright."""
    original = jpeg_with_exif(orientation=6)
    with PIL.Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the positive control: the upload carries a GPS position

    attach(original, "site-photo.jpg")

    with PIL.Image.open(_files(media_root)[0]) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.size == (400, 600)  # turned upright (orientation 6 is a quarter turn)


ELEVEN_MB = PDF + b"0" * (11 * 1024 * 1024)


@pytest.mark.parametrize(
    ("data", "name", "error", "code"),
    [
        (SVG_WITH_SCRIPT, "logo.svg", UnsupportedMediaType, "unsupported_attachment_type"),
        (SVG_WITH_SCRIPT, "logo.txt", UnsupportedMediaType, "unsupported_attachment_type"),
        (
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "page.txt",
            UnsupportedMediaType,
            "unsupported_attachment_type",
        ),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "setup.exe", UnsupportedMediaType, None),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "setup.txt", UnsupportedMediaType, None),
        (_zip(**{"readme.txt": "hello", "bin__run.sh": "rm -rf /"}), "files.zip", UnsupportedMediaType, None),
        (_zip(**{"readme.txt": "hello"}), "report.docx", UnsupportedMediaType, None),
        (b"", "empty.pdf", InvalidInput, "empty_file"),
        (ELEVEN_MB, "huge.pdf", PayloadTooLarge, "file_too_large"),
    ],
)
def test_refused_files_leave_no_row_and_no_file(attach, media_root, data, name, error, code):
    with pytest.raises(error) as refused:
        attach(data, name)

    assert refused.value.code == (code or "unsupported_attachment_type")
    assert 400 <= refused.value.status < 500
    assert refused.value.message
    assert not StoredFile.objects.exists()
    assert _files(media_root) == []


def test_the_size_message_names_the_limit(attach):
    with pytest.raises(PayloadTooLarge) as refused:
        attach(ELEVEN_MB, "huge.pdf")
    assert refused.value.message == "The file is 11.0 MB; the limit is 10.0 MB."


def test_a_sixth_file_is_refused(attach, media_root, settings):
    assert settings.ATTACHMENTS_MAX_COUNT == 5
    for number in range(5):
        attach(PDF, f"part-{number}.pdf")

    with pytest.raises(Conflict) as refused:
        attach(PDF, "part-6.pdf")

    assert refused.value.code == "too_many_attachments"
    assert StoredFile.objects.count() == 5
    assert len(_files(media_root)) == 5


def test_only_the_owner_side_may_attach(media_root):
    job = make_job()
    proposal = make_proposal(job)
    outsider = make_client()
    with pytest.raises(PermissionDenied):
        job_attachment_add(acting_user=outsider, job=job, data=PDF, name="a.pdf")
    with pytest.raises(PermissionDenied):
        proposal_attachment_add(acting_user=job.client, proposal=proposal, data=PDF, name="a.pdf")
    assert not StoredFile.objects.exists()
    assert _files(media_root) == []


def test_removing_an_attachment_deletes_its_file_once_committed(
    media_root, django_capture_on_commit_callbacks
):
    job = make_job()
    attachment = job_attachment_add(acting_user=job.client, job=job, data=PDF, name="brief.pdf")
    assert len(_files(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        file_remove(acting_user=job.client, file=attachment)

    assert not StoredFile.objects.exists()
    assert _files(media_root) == []


def test_every_refusal_is_a_domain_error_never_a_crash(attach):
    """Odd bytes that start like an accepted type are still refused cleanly."""
    for data, name in [
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "broken.png"),
        (b"PK\x03\x04not really a zip", "broken.docx"),
        (b"\xff\xfe\x00t\x00e\x00x\x00t", "utf16.txt"),
    ]:
        with pytest.raises(DomainError):
            attach(data, name)
    assert not StoredFile.objects.exists()


def test_a_stored_file_has_one_owner(media_root):
    """Removing a job's file must not take it from anyone else: the database keeps a second link out
    (Django's ``add`` skips a conflicting link; a plain insert is refused)."""
    first, second = make_job(), make_job()
    stored = job_attachment_add(acting_user=first.client, job=first, data=PDF, name="brief.pdf")
    second.attachments.add(stored)
    assert not second.attachments.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.attachments.through.objects.create(job=second, storedfile=stored)
    assert first.attachments.get() == stored  # the positive control: its own link stands


def test_the_job_admin_does_not_offer_every_stored_file(client, media_root):
    job, other = make_job(), make_job()
    job_attachment_add(acting_user=other.client, job=other, data=PDF, name="someone-elses.pdf")
    client.force_login(make_user(staff=True, is_superuser=True))
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert 'name="title"' in page  # the form is there
    assert 'name="attachments"' not in page
    assert "someone-elses.pdf" not in page
