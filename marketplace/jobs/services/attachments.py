"""Files on jobs and proposals: type sniffed from the content, size- and count-limited.

Accepted: PDF, JPEG/PNG/WebP images (through the accounts image checks, so pixel limits hold),
plain text (UTF-8: .txt, .md, .csv) and Office Open XML documents (.docx, .xlsx, .pptx). Anything
else — SVG, HTML, executables, archives — is refused before a byte is written.
"""

import io
import secrets
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.accounts.services.uploads import image_check
from marketplace.core.exceptions import (
    Conflict,
    InvalidInput,
    PayloadTooLarge,
    PermissionDenied,
    UnsupportedMediaType,
)

from ..models import Attachment, Job, Proposal
from ..permissions import require_freelancer, require_job_control

OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv"}
ACCEPTED = (
    "PDF, JPEG, PNG, WebP, plain text (.txt, .md, .csv), Word, Excel or PowerPoint (.docx, .xlsx, .pptx)"
)


def _office_type(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in OFFICE_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def _text_type(data: bytes, suffix: str) -> tuple[str, str] | None:
    if suffix not in TEXT_SUFFIXES or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.lstrip()[:15].lower().startswith(("<!doctype", "<html", "<svg", "<?xml")):
        return None
    return TEXT_SUFFIXES[suffix], suffix


def attachment_check(data: bytes, name: str) -> tuple[str, str]:
    """The content type and file suffix the content really is, or a ``DomainError``."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if not data:
        raise InvalidInput("The file is empty.", code="empty_file")
    if len(data) > limit:
        raise PayloadTooLarge(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {limit / 1024 / 1024:.1f} MB.",
            code="file_too_large",
        )
    if data.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or data[8:12] == b"WEBP":
        _image, image_format = image_check(data)
        return IMAGE_TYPES[image_format]
    if data.startswith(b"PK\x03\x04") and (office := _office_type(data)):
        return office
    if text := _text_type(data, PurePath(name).suffix.lower()):
        return text
    raise UnsupportedMediaType(
        f"This kind of file is not accepted. Attach {ACCEPTED}.", code="unsupported_attachment_type"
    )


def _safe_name(name: str, suffix: str) -> str:
    stem = PurePath(name or "file").stem.strip()[:150] or "file"
    return f"{stem}{suffix}"


def attachment_store(*, acting_user: User, data: bytes, name: str, **owner) -> Attachment:
    content_type, suffix = attachment_check(data, name)
    if Attachment.objects.filter(**owner).count() >= settings.ATTACHMENTS_MAX_COUNT:
        raise Conflict(
            f"At most {settings.ATTACHMENTS_MAX_COUNT} files can be attached.", code="too_many_attachments"
        )
    original_name = _safe_name(name, suffix)
    row = Attachment(
        original_name=original_name,
        content_type=content_type,
        size=len(data),
        uploaded_by=acting_user,
        **owner,
    )
    # A random name: the stored file's URL must not be guessable from another's (the media folder is
    # served without a visibility check, and an invite-only job's files are not for everyone).
    row.file.save(f"{secrets.token_urlsafe(24)}{suffix}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            row.save()
    except BaseException:
        default_storage.delete(row.file.name)
        raise
    return row


@transaction.atomic
def job_attachment_add(*, acting_user: User, job: Job, data: bytes, name: str) -> Attachment:
    require_job_control(acting_user, job)
    Job.objects.select_for_update().get(pk=job.pk)
    if job.status in Job.TERMINAL:
        raise Conflict("Files can be attached only to a draft or open job.", code="job_not_editable")
    return attachment_store(acting_user=acting_user, data=data, name=name, job=job)


@transaction.atomic
def proposal_attachment_add(*, acting_user: User, proposal: Proposal, data: bytes, name: str) -> Attachment:
    require_freelancer(
        acting_user, proposal.freelancer_id, message="Only the freelancer can attach files to a proposal."
    )
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in Proposal.EDITABLE:
        raise Conflict(
            "Files can be attached only while the proposal can be edited.", code="proposal_not_editable"
        )
    return attachment_store(acting_user=acting_user, data=data, name=name, proposal=locked)


@transaction.atomic
def attachment_remove(*, acting_user: User, attachment: Attachment) -> None:
    if attachment.submission_id:
        raise PermissionDenied(
            "Work handed in for a milestone stays as it was handed in.", code="submitted_work"
        )
    if attachment.job_id:
        require_job_control(acting_user, attachment.job)
    else:
        require_freelancer(
            acting_user,
            attachment.proposal.freelancer_id,
            message="Only the freelancer can remove this file.",
        )
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
