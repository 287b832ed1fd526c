"""Files on jobs and proposals: the type is read from the content, not the name; size, count and
emptiness are limited; a refused file leaves no row and no file behind (each test has its own
MEDIA_ROOT, see the ``media_root`` fixture)."""

import io
import zipfile
from pathlib import Path

import pytest

from marketplace.core.exceptions import (
    Conflict,
    DomainError,
    InvalidInput,
    PayloadTooLarge,
    PermissionDenied,
    UnsupportedMediaType,
)
from marketplace.jobs.models import Attachment
from marketplace.jobs.services import attachment_remove, job_attachment_add, proposal_attachment_add
from tests.factories import make_client, make_job, make_proposal
from tests.support.images import SVG_WITH_SCRIPT, image_bytes

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
        (image_bytes("PNG", size=(120, 80)), "mock-up.png", "image/png", "mock-up.png"),
        (DOCX, "contract.docx", DOCX_TYPE, "contract.docx"),
        ("Plain notes, UTF-8: café\n".encode(), "notes.txt", "text/plain", "notes.txt"),
        (PDF, "no-extension", "application/pdf", "no-extension.pdf"),  # the content names the type
    ],
)
def test_accepted_files_are_stored_under_a_random_name(
    attach, media_root, data, name, content_type, stored_name
):
    attachment = attach(data, name)

    row = Attachment.objects.get()
    assert row == attachment
    assert (row.content_type, row.original_name, row.size) == (content_type, stored_name, len(data))
    stored = _files(media_root)
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    assert Path(stored_name).stem not in stored[0].name  # not guessable from the upload's name


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
    assert not Attachment.objects.exists()
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
    assert Attachment.objects.count() == 5
    assert len(_files(media_root)) == 5


def test_only_the_owner_side_may_attach(media_root):
    job = make_job()
    proposal = make_proposal(job)
    outsider = make_client()
    with pytest.raises(PermissionDenied):
        job_attachment_add(acting_user=outsider, job=job, data=PDF, name="a.pdf")
    with pytest.raises(PermissionDenied):
        proposal_attachment_add(acting_user=job.client, proposal=proposal, data=PDF, name="a.pdf")
    assert not Attachment.objects.exists()
    assert _files(media_root) == []


def test_removing_an_attachment_deletes_its_file_once_committed(
    media_root, django_capture_on_commit_callbacks
):
    job = make_job()
    attachment = job_attachment_add(acting_user=job.client, job=job, data=PDF, name="brief.pdf")
    assert len(_files(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(acting_user=job.client, attachment=attachment)

    assert not Attachment.objects.exists()
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
    assert not Attachment.objects.exists()
