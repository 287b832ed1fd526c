"""Checking, cleaning and storing uploaded images, and making their fixed renditions.

An upload is checked completely before anything is written: size, type sniffed from the content
(never the name or the declared type), pixel count read from the header before decoding, then a
full decode. It is stored re-encoded, rotated upright and without EXIF or other metadata. The
renditions are made by a task after the commit.
"""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import PIL.Image
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import ImageOps, UnidentifiedImageError

from marketplace.core.exceptions import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from marketplace.core.task_queue import queue_task_on_commit

from ..models import Image

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# name → (width, height, crop to fill?) Renditions are WebP whatever the original's format.
RENDITIONS = {
    "square_96": (96, 96, True),
    "square_256": (256, 256, True),
    "width_640": (640, 640 * 4, False),
    "width_1280": (1280, 1280 * 4, False),
}


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def image_check(data: bytes) -> tuple[PIL.Image.Image, str]:
    """Return the decoded image and its format, or raise a ``DomainError`` naming the problem."""
    limit = settings.UPLOAD_MAX_BYTES
    if not data:
        raise InvalidInput("The file is empty.", code="empty_file")
    if len(data) > limit:
        raise PayloadTooLarge(
            f"The file is {_megabytes(len(data))}; the limit is {_megabytes(limit)}.", code="file_too_large"
        )
    not_an_image = UnsupportedMediaType(
        "This file is not a JPEG, PNG or WebP image. Other formats, SVG included, are not accepted.",
        code="unsupported_image_type",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
        try:
            image = PIL.Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS))
        except (PIL.Image.DecompressionBombError, PIL.Image.DecompressionBombWarning) as exc:
            raise PayloadTooLarge(
                "The image has too many pixels to be processed safely.", code="image_too_many_pixels"
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise not_an_image from exc
        width, height = image.size
        pixels = width * height
        if pixels > settings.UPLOAD_MAX_PIXELS:
            raise PayloadTooLarge(
                f"The image is {width} x {height} pixels ({pixels / 1e6:.1f} megapixels); "
                f"the limit is {settings.UPLOAD_MAX_PIXELS / 1e6:g} megapixels.",
                code="image_too_many_pixels",
            )
        try:
            image.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise InvalidInput("The image is damaged or incomplete.", code="corrupt_image") from exc
    return image, image.format


def _reencode(image: PIL.Image.Image, image_format: str) -> bytes:
    """Upright pixels only: no EXIF, XMP, ICC-free comments or text chunks survive."""
    upright = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90, optimize=True)
    elif image_format == "PNG":
        upright.save(out, "PNG", optimize=True)
    else:
        upright.save(out, "WEBP", quality=90)
    return out.getvalue()


@contextmanager
def image_stored(*, owner, data: bytes, kind: str) -> Iterator[Image]:
    """Check and store an image, for the caller's work inside the ``with`` block.

    Nothing is written unless the image passes every check. If the block (or the save) raises,
    its savepoint rolls back and the stored file is deleted, so a refused or failed upload leaves
    no row and no file. The renditions are made by a task once the outer transaction commits.
    """
    image, image_format = image_check(data)
    cleaned = _reencode(image, image_format)
    row = Image(owner=owner, kind=kind, format=image_format, width=image.width, height=image.height)
    row.size_bytes = len(cleaned)
    row.file.save("original", ContentFile(cleaned), save=False)
    try:
        with transaction.atomic():
            row.save()
            yield row
    except BaseException:
        default_storage.delete(row.file.name)
        raise
    queue_task_on_commit("accounts.image_make_renditions", row.pk)


def image_renditions_make(*, image_id: int) -> Image | None:
    """Make (or remake) every fixed rendition of an image. Idempotent."""
    row = Image.objects.filter(pk=image_id).first()
    if row is None:
        return None
    with row.file.open("rb") as source, PIL.Image.open(source) as original:
        original.load()
        made = {}
        for name, (width, height, crop) in RENDITIONS.items():
            if crop:
                rendition = ImageOps.fit(original, (width, height), PIL.Image.Resampling.LANCZOS)
            else:
                rendition = original.copy()
                rendition.thumbnail((width, height), PIL.Image.Resampling.LANCZOS)
            if rendition.mode not in ("RGB", "RGBA"):
                rendition = rendition.convert("RGBA" if "A" in rendition.getbands() else "RGB")
            out = io.BytesIO()
            rendition.save(out, "WEBP", quality=82)
            path = row.file.name.rsplit("/", 1)[0] + f"/{name}.webp"
            if default_storage.exists(path):
                default_storage.delete(path)
            made[name] = default_storage.save(path, ContentFile(out.getvalue()))
    Image.objects.filter(pk=row.pk).update(renditions=made)
    row.renditions = made
    return row
