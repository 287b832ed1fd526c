"""What an uploaded file really is, read from its content, and images cleaned of their metadata.

Every upload passes here before a byte is written: avatars and portfolio images (``image_check``)
and every attached file (``file_check``). Accepted attachments: PDF, JPEG/PNG/WebP images (with the
image checks, so pixel limits hold), plain text (UTF-8: .txt, .md, .csv) and Office Open XML
documents (.docx, .xlsx, .pptx). Anything else — SVG, HTML, executables, archives — is refused.
Pillow's own decompression-bomb limit (~89 MP) is too lax: ``UPLOAD_MAX_PIXELS`` is checked from
the header before the pixels are decoded.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import PIL.Image
import PIL.ImageFile
from django.conf import settings
from PIL import ImageOps, UnidentifiedImageError

from ..exceptions import InvalidInput, PayloadTooLarge, UnsupportedMediaType

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
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


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _refuse_size(data: bytes, limit: int) -> None:
    if not data:
        raise InvalidInput("The file is empty.", code="empty_file")
    if len(data) > limit:
        raise PayloadTooLarge(
            f"The file is {_megabytes(len(data))}; the limit is {_megabytes(limit)}.", code="file_too_large"
        )


def image_check(data: bytes) -> tuple[PIL.Image.Image, str]:
    """The decoded image and its format, or a ``DomainError`` naming the problem."""
    _refuse_size(data, settings.UPLOAD_MAX_BYTES)
    not_an_image = UnsupportedMediaType(
        "This file is not a JPEG, PNG or WebP image. Other formats, SVG included, are not accepted.",
        code="unsupported_image_type",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
        try:
            image = PIL.Image.open(io.BytesIO(data), formats=sorted(IMAGE_FORMATS))
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
        # WeasyPrint's import (a PDF receipt) sets Pillow's process-wide switch that pads a cut image
        # with grey instead of failing; from then on every upload check would accept one.
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise InvalidInput("The image is damaged or incomplete.", code="corrupt_image") from exc
    # Phones often write multi-picture JPEGs (a depth map or a preview after the photo), which Pillow
    # names MPO: it is a JPEG, and only its first picture is kept.
    return image, "JPEG" if image.format == "MPO" else image.format


def image_clean(image: PIL.Image.Image, image_format: str) -> bytes:
    """Upright pixels only, re-encoded in the same format: no EXIF (GPS included), XMP, comments,
    colour profile or text chunks survive.

    The encoders fall back on what the decoder read (``info``: a JPEG's comment, a PNG's colour
    profile), so the pixels go to the encoder with nothing of the upload's ``info`` but a palette
    image's transparent colour, which is part of the picture."""
    upright = ImageOps.exif_transpose(image)
    upright.info = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
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


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed ``file_check``: what it really is, and the bytes to store (an image's
    re-encoded without its metadata). ``file_store`` takes only these, so nothing unchecked is stored
    and nothing is checked (an image decoded and re-encoded) twice."""

    name: str
    content_type: str
    suffix: str
    data: bytes


def file_check(data: bytes, name: str) -> CheckedFile:
    """The attachment as checked, or a ``DomainError``. Images come back re-encoded without their
    metadata; every other kind as it was sent."""
    _refuse_size(data, settings.ATTACHMENT_MAX_BYTES)
    if data.startswith(b"%PDF-"):
        return CheckedFile(name, "application/pdf", ".pdf", data)
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or data[8:12] == b"WEBP":
        image, image_format = image_check(data)
        return CheckedFile(name, *IMAGE_TYPES[image_format], image_clean(image, image_format))
    if data.startswith(b"PK\x03\x04") and (office := _office_type(data)):
        return CheckedFile(name, *office, data)
    if text := _text_type(data, PurePath(name).suffix.lower()):
        return CheckedFile(name, *text, data)
    raise UnsupportedMediaType(
        f"This kind of file is not accepted. Attach {ACCEPTED}.", code="unsupported_attachment_type"
    )
