"""Uploads through the real services: what is refused, what is stored, and the renditions."""

import io

import PIL.Image
import pytest
from django.conf import settings

from marketplace.accounts.models import FreelancerProfile, Image, PortfolioItem
from marketplace.accounts.services.profiles import avatar_set, portfolio_item_create
from marketplace.accounts.services.uploads import RENDITIONS, image_renditions_make
from marketplace.core.exceptions import DomainError
from tests.factories import make_freelancer
from tests.support.images import (
    SVG_WITH_SCRIPT,
    TEXT_AS_PNG,
    image_bytes,
    jpeg_with_exif,
    over_limit_bytes,
    png_of_megapixels,
)
from tests.support.processes import wait_until


def _truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def _files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


BAD_UPLOADS = [
    pytest.param(lambda: TEXT_AS_PNG, 415, "unsupported_image_type", id="text-named-png"),
    pytest.param(lambda: SVG_WITH_SCRIPT, 415, "unsupported_image_type", id="svg-with-script"),
    pytest.param(lambda: b"", 400, "empty_file", id="zero-bytes"),
    pytest.param(lambda: over_limit_bytes(settings.UPLOAD_MAX_BYTES), 413, "file_too_large", id="11-mb"),
    pytest.param(lambda: png_of_megapixels(60), 413, "image_too_many_pixels", id="60-megapixels"),
    pytest.param(lambda: image_bytes("GIF"), 415, "unsupported_image_type", id="gif"),
    pytest.param(lambda: _truncated(image_bytes("JPEG")), 400, "corrupt_image", id="truncated-jpeg"),
]


@pytest.mark.parametrize(("make_data", "status", "code"), BAD_UPLOADS)
def test_bad_avatar_is_refused_and_leaves_nothing(db, media_root, make_data, status, code):
    freelancer = make_freelancer()
    with pytest.raises(DomainError) as refused:
        avatar_set(user=freelancer, data=make_data())
    assert (refused.value.status, refused.value.code) == (status, code)
    assert refused.value.message
    assert Image.objects.count() == 0
    assert FreelancerProfile.objects.get(user=freelancer).avatar is None
    assert _files_under(media_root) == []


@pytest.mark.parametrize(("make_data", "status", "code"), BAD_UPLOADS[:2])
def test_bad_portfolio_image_adds_no_item(db, media_root, make_data, status, code):
    freelancer = make_freelancer()
    with pytest.raises(DomainError):
        portfolio_item_create(user=freelancer, title="Logo", description="", url="", image_data=make_data())
    assert PortfolioItem.objects.count() == 0
    assert _files_under(media_root) == []


def test_a_failure_after_storing_removes_the_file(db, media_root):
    """The row and file are written, then the caller's block fails: both disappear."""
    from marketplace.accounts.services.uploads import image_stored

    freelancer = make_freelancer()
    seen_while_open = []

    def store_then_fail():
        with image_stored(owner=freelancer, data=image_bytes(), kind="avatar"):
            seen_while_open.extend(_files_under(media_root))
            raise RuntimeError("the caller failed")

    with pytest.raises(RuntimeError):
        store_then_fail()
    assert len(seen_while_open) == 1
    assert Image.objects.count() == 0
    assert _files_under(media_root) == []


def test_exif_is_stripped_and_the_picture_turned_upright(db):
    freelancer = make_freelancer()
    image = avatar_set(user=freelancer, data=jpeg_with_exif(orientation=6))  # 6: rotate 90° clockwise
    with image.file.open("rb") as stored, PIL.Image.open(stored) as decoded:
        assert decoded.format == "JPEG"
        assert dict(decoded.getexif()) == {}
        assert b"Secret Camera" not in image.file.storage.open(image.file.name).read()
        assert decoded.size == (400, 600)
    assert (image.width, image.height) == (400, 600)  # the stored, upright picture's (img width/height)


def test_remaking_renditions_corrects_a_size_recorded_sideways(db):
    """Images stored before the size was read after turning them upright get it right from the
    renditions task (which opens the stored picture anyway)."""
    image = avatar_set(user=make_freelancer(), data=jpeg_with_exif(orientation=6))
    Image.objects.filter(pk=image.pk).update(width=600, height=400)  # as stored before the fix
    image_renditions_make(image_id=image.pk)
    image.refresh_from_db()
    assert (image.width, image.height) == (400, 600)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_allowed_format_is_kept_in_its_format(db, fmt):
    image = avatar_set(user=make_freelancer(), data=image_bytes(fmt))
    assert image.format == fmt
    assert image.file.name.endswith("." + image.extension)


def test_renditions_have_the_fixed_sizes_and_can_be_remade(db):
    image = avatar_set(user=make_freelancer(), data=image_bytes("PNG", size=(2000, 1000)))
    first = image_renditions_make(image_id=image.pk).renditions
    assert set(first) == set(RENDITIONS)
    sizes = {}
    for name, path in first.items():
        with image.file.storage.open(path) as stored, PIL.Image.open(stored) as decoded:
            sizes[name] = decoded.size
    assert sizes == {
        "square_96": (96, 96),
        "square_256": (256, 256),
        "width_640": (640, 320),
        "width_1280": (1280, 640),
    }
    again = image_renditions_make(image_id=image.pk).renditions
    assert again == first  # same paths, overwritten in place
    image.refresh_from_db()
    assert image.url_for("square_256").endswith("square_256.webp")


def test_a_worker_makes_the_renditions_after_commit(celery_worker):
    freelancer = make_freelancer()
    image = avatar_set(user=freelancer, data=image_bytes("JPEG"))

    def made():
        image.refresh_from_db()
        return set(image.renditions) == set(RENDITIONS)

    wait_until(made, timeout=30, message=lambda: f"renditions so far: {image.renditions}")
    for path in image.renditions.values():
        assert image.file.storage.exists(path)


def test_a_png_with_text_chunks_loses_them(db):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe, 12 Secret Street")
    out = io.BytesIO()
    PIL.Image.new("RGB", (50, 50)).save(out, "PNG", pnginfo=info)
    image = avatar_set(user=make_freelancer(), data=out.getvalue())
    assert b"Secret Street" not in image.file.storage.open(image.file.name).read()
