"""The files attached to messages: checked before anything is stored, stored with a thumbnail for
images, and removed with their message.

``file_check`` (the kernel) sniffs the type from the content and re-encodes images without their
metadata (EXIF, GPS, comments), so the thumbnail is made here, in the request, from pixels that are
already clean: a small WebP, stored as a kernel file of the same owner kind, so it is downloaded
through the same participants-only check.
"""

import io
from collections.abc import Iterable
from pathlib import PurePath

import PIL.Image
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.core.exceptions import InvalidInput, PermissionDenied
from marketplace.core.files import CheckedFile, file_check, file_store
from marketplace.core.models import StoredFile

from ..models import AttachmentThumbnail, Message

MESSAGE_FILES = "message"
THUMBNAIL_BOX = (480, 480)


def _name_and_bytes(upload) -> tuple[str, bytes]:
    """An uploaded file (``name`` and ``read()``) or a ``(name, bytes)`` pair."""
    if isinstance(upload, tuple):
        return upload
    return upload.name, upload.read()


def message_files_check(files: Iterable) -> list[CheckedFile]:
    """Every file checked before any is stored (a refused one leaves nothing behind): at most
    ``ATTACHMENTS_MAX_COUNT`` (400 ``too_many_attachments``), each by the kernel's checks."""
    files = list(files)
    limit = settings.ATTACHMENTS_MAX_COUNT
    if len(files) > limit:
        raise InvalidInput(
            f"A message takes at most {limit} files; this one has {len(files)}.",
            code="too_many_attachments",
            fields={"files": [f"At most {limit} files."]},
        )
    return [file_check(data, name) for name, data in map(_name_and_bytes, files)]


def _thumbnail(checked: CheckedFile) -> CheckedFile:
    with PIL.Image.open(io.BytesIO(checked.data)) as image:
        image.thumbnail(THUMBNAIL_BOX, PIL.Image.Resampling.LANCZOS)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=80)
    stem = PurePath(checked.name).stem or "image"
    return CheckedFile(f"{stem}-preview.webp", "image/webp", ".webp", out.getvalue())


def message_files_store(*, acting_user: User, message: Message, checked: list[CheckedFile]) -> None:
    """Store the checked files (and image thumbnails) and link them to ``message``. If anything
    fails, the bytes already written are deleted before the error goes on (the rows roll back)."""
    stored: list[StoredFile] = []
    try:
        for item in checked:
            original = file_store(acting_user=acting_user, checked=item, owner_kind=MESSAGE_FILES)
            stored.append(original)
            if item.content_type.startswith("image/"):
                preview = file_store(
                    acting_user=acting_user, checked=_thumbnail(item), owner_kind=MESSAGE_FILES
                )
                stored.append(preview)
                AttachmentThumbnail.objects.create(original=original, thumbnail=preview)
            message.attachments.add(original)
    except BaseException:
        for row in stored:
            default_storage.delete(row.file.name)
        raise


def message_files_delete(message: Message) -> None:
    """Unlink and delete a message's files and their thumbnails; the bytes go after commit."""
    originals = list(message.attachments.all())
    previews = list(
        StoredFile.objects.filter(
            pk__in=AttachmentThumbnail.objects.filter(original__in=originals).values("thumbnail_id")
        )
    )
    names = [row.file.name for row in originals + previews]
    message.attachments.clear()
    StoredFile.objects.filter(pk__in=[row.pk for row in originals + previews]).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def message_file_remove(*, acting_user: User, file: StoredFile) -> None:
    """The kernel's removal of one message file: refused; a message's files go with the message
    (``message_delete``), so what was said stays whole."""
    raise PermissionDenied("Delete the message to remove its files.", code="message_file")
