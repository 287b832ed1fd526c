"""Storing a checked file, and handing it out or removing it as its owner's app allows.

Files live under ``MEDIA_ROOT/attachments/``, which neither Django's media route nor the proxy
serves (``settings.PRIVATE_MEDIA_DIRS``, deploy/nginx.conf): the only way to a file is
``file_response`` after ``file_for_viewer`` (or ``file_of_organisation``) asked the owner's app.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse

from ..exceptions import NotFound
from ..models import StoredFile
from .checks import CheckedFile


@dataclass(frozen=True)
class FileOwner:
    """A kind of owner of files, as its app registers it.

    ``visible_to(viewer)`` and ``of_organisation(organisation)`` answer a queryset of the ids of this
    kind's files that the viewer (or the organisation's API key) may download; ``remove(acting_user=,
    file=)`` checks who may and unlinks the file, or raises a ``DomainError``."""

    kind: str
    visible_to: Callable[[Any], QuerySet]
    of_organisation: Callable[[Any], QuerySet]
    remove: Callable[..., None]


_OWNERS: dict[str, FileOwner] = {}


def register_file_owner(owner: FileOwner) -> None:
    """Called from the owner app's ``AppConfig.ready()``."""
    _OWNERS[owner.kind] = owner


def _safe_name(name: str, suffix: str) -> str:
    stem = PurePath(name or "file").stem.strip()[:150] or "file"
    return f"{stem}{suffix}"


def file_store(*, acting_user, checked: CheckedFile, owner_kind: str) -> StoredFile:
    """Store one checked file (``file_check``) for an owner of ``owner_kind``, which links to it in
    the same transaction. A row that cannot be saved leaves no file behind."""
    if owner_kind not in _OWNERS:
        raise LookupError(f"No file owner {owner_kind!r} is registered.")
    row = StoredFile(
        owner_kind=owner_kind,
        original_name=_safe_name(checked.name, checked.suffix),
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=acting_user,
    )
    # A random name: a stored file's path must not be guessable from another's.
    row.file.save(f"{secrets.token_urlsafe(24)}{checked.suffix}", ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            row.save()
    except BaseException:
        default_storage.delete(row.file.name)
        raise
    return row


def _not_found() -> NotFound:
    return NotFound("No such attachment.", code="attachment_not_found")


def _visible(pk: int, ids: Callable[[StoredFile, FileOwner], QuerySet]) -> StoredFile:
    row = StoredFile.objects.filter(pk=pk).first()
    owner = _OWNERS.get(row.owner_kind) if row else None
    if owner is None or not ids(row, owner).filter(pk=pk).exists():
        raise _not_found()
    return row


def file_for_viewer(*, pk: int, viewer) -> StoredFile:
    """The file, if its owner's app lets ``viewer`` see it; else a 404 that reveals nothing."""
    return _visible(pk, lambda row, owner: StoredFile.objects.filter(pk__in=owner.visible_to(viewer)))


def file_of_organisation(*, pk: int, organisation) -> StoredFile:
    """The file, if it belongs to something of the organisation (its read-only API keys)."""
    return _visible(
        pk, lambda row, owner: StoredFile.objects.filter(pk__in=owner.of_organisation(organisation))
    )


@transaction.atomic
def file_remove(*, acting_user, file: StoredFile) -> None:
    """Remove a file as its owner's app allows; the stored bytes go once the removal commits."""
    _OWNERS[file.owner_kind].remove(acting_user=acting_user, file=file)
    name = file.file.name
    file.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


def file_response(file: StoredFile) -> FileResponse:
    """The file as a download under its original name, never rendered in the site's origin."""
    response = FileResponse(
        file.file.open("rb"),
        as_attachment=True,
        filename=file.original_name,
        content_type=file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
