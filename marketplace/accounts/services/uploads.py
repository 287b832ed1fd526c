"""Checking, cleaning and storing uploaded images, and making their fixed renditions.

An upload is checked completely before anything is written, by the kernel's checks
(``marketplace.core.files``, shared with every attached file): size, type sniffed from the content
(never the name or the declared type), pixel count read from the header before decoding, then a
full decode. It is stored re-encoded, rotated upright and without EXIF or other metadata. The
renditions are made by a task after the commit.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import PIL.Image
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import ImageOps

from marketplace.core.files import image_check, image_clean
from marketplace.core.task_queue import queue_task_on_commit

from ..models import Image
from ..public_lists import PROFILES

# name → (width, height, crop to fill?) Renditions are WebP whatever the original's format.
RENDITIONS = {
    "square_96": (96, 96, True),
    "square_256": (256, 256, True),
    "width_640": (640, 640 * 4, False),
    "width_1280": (1280, 1280 * 4, False),
}


@contextmanager
def image_stored(*, owner, data: bytes, kind: str) -> Iterator[Image]:
    """Check and store an image, for the caller's work inside the ``with`` block.

    Nothing is written unless the image passes every check. If the block (or the save) raises,
    its savepoint rolls back and the stored file is deleted, so a refused or failed upload leaves
    no row and no file. The renditions are made by a task once the outer transaction commits.
    """
    image, image_format = image_check(data)
    cleaned = image_clean(image, image_format)
    with PIL.Image.open(io.BytesIO(cleaned)) as upright:  # the header only: turned, a photo's sides swap
        width, height = upright.size
    row = Image(owner=owner, kind=kind, format=image_format, width=width, height=height)
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
    """Make (or remake) every fixed rendition of an image, and record the stored picture's size (which
    corrects images stored before their size was read after turning them upright). Idempotent."""
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
        row.width, row.height = original.size
    Image.objects.filter(pk=row.pk).update(renditions=made, width=row.width, height=row.height)
    PROFILES.changed()  # an avatar's renditions show in the list; update() sends no signal
    row.renditions = made
    return row
