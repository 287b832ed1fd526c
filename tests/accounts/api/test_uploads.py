"""Avatar and portfolio uploads through the API: every refusal is a 4xx with a code, and leaves no
Image row, no portfolio item and no file under MEDIA_ROOT."""

import io

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.accounts.models import FreelancerProfile, Image, PortfolioItem
from tests.factories import make_client, make_freelancer
from tests.support.api import as_user, assert_error

from .helpers import files_under, png_bytes

pytestmark = pytest.mark.django_db


def _sixty_megapixel_png() -> bytes:
    out = io.BytesIO()
    PIL.Image.new("1", (8000, 7500)).save(out, "PNG", optimize=True)  # a few kB compressed
    return out.getvalue()


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)

BAD_UPLOADS = {
    "text named .png": (
        "notes.png",
        b"This is not a picture, just some text.\n" * 20,
        415,
        "unsupported_image_type",
    ),
    "svg with a script": ("logo.svg", SVG_WITH_SCRIPT, 415, "unsupported_image_type"),
    "svg named .png": ("logo.png", SVG_WITH_SCRIPT, 415, "unsupported_image_type"),
    "empty file": ("empty.png", b"", 400, "empty_file"),
    "11 MB file": ("huge.png", png_bytes() + b"\0" * (11 * 1024 * 1024), 413, "file_too_large"),
    "60 megapixels": ("big.png", None, 413, "image_too_many_pixels"),
    "truncated png": ("cut.png", None, 400, "corrupt_image"),
}


def _bad_upload(name: str) -> tuple[str, bytes, int, str]:
    filename, data, status, code = BAD_UPLOADS[name]
    if name == "60 megapixels":
        data = _sixty_megapixel_png()
    elif name == "truncated png":
        whole = io.BytesIO()
        PIL.Image.effect_noise((400, 400), 80).save(whole, "PNG")
        data = whole.getvalue()[:-2000]
    return filename, data, status, code


def _upload(filename: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data, content_type=content_type)


def test_an_avatar_upload_is_stored_and_shown(api, media_root):
    freelancer = make_freelancer()
    response = as_user(freelancer, api).put(
        "/api/me/freelancer-profile/avatar/", {"image": _upload("me.png", png_bytes())}, format="multipart"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["format"], body["width"], body["height"]) == ("PNG", 64, 48)
    assert set(body["renditions"]) == {"square_96", "square_256", "width_640", "width_1280"}
    image = Image.objects.get()
    assert FreelancerProfile.objects.get(user=freelancer).avatar == image
    assert files_under(media_root) == [media_root / image.file.name]
    profile = api.get(f"/api/profiles/{freelancer.freelancer_profile.handle}/").json()
    assert profile["avatar"]["url"] == body["url"]


def test_removing_the_avatar_deletes_row_and_file(api, media_root, django_capture_on_commit_callbacks):
    freelancer = make_freelancer()
    as_user(freelancer, api).put(
        "/api/me/freelancer-profile/avatar/", {"image": _upload("me.png", png_bytes())}
    )
    assert Image.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete("/api/me/freelancer-profile/avatar/")
    assert response.status_code == 204
    assert not Image.objects.exists()
    assert files_under(media_root) == []


@pytest.mark.parametrize("name", BAD_UPLOADS)
def test_a_bad_avatar_is_refused_and_leaves_nothing(
    api, media_root, name, django_capture_on_commit_callbacks
):
    filename, data, status, code = _bad_upload(name)
    freelancer = make_freelancer()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(freelancer, api).put(
            "/api/me/freelancer-profile/avatar/", {"image": _upload(filename, data)}, format="multipart"
        )
    assert_error(response, status, code)
    assert not Image.objects.exists()
    assert FreelancerProfile.objects.get(user=freelancer).avatar is None
    assert files_under(media_root) == []


@pytest.mark.parametrize("name", ["svg with a script", "60 megapixels", "empty file"])
def test_a_bad_portfolio_image_adds_no_item(api, media_root, name):
    filename, data, status, code = _bad_upload(name)
    freelancer = make_freelancer()
    response = as_user(freelancer, api).post(
        "/api/me/portfolio/", {"title": "Shop", "image": _upload(filename, data)}, format="multipart"
    )
    assert_error(response, status, code)
    assert not PortfolioItem.objects.exists()
    assert not Image.objects.exists()
    assert files_under(media_root) == []


def test_an_avatar_needs_a_file(api, media_root):
    response = as_user(make_freelancer(), api).put(
        "/api/me/freelancer-profile/avatar/", {}, format="multipart"
    )
    error = assert_error(response, 400, "invalid")
    assert error["fields"]["image"][0]["code"] == "required"


def test_a_client_cannot_upload_an_avatar(api, media_root):
    response = as_user(make_client(), api).put(
        "/api/me/freelancer-profile/avatar/", {"image": _upload("me.png", png_bytes())}, format="multipart"
    )
    assert_error(response, 403, "not_a_freelancer")
    assert not Image.objects.exists()
    assert files_under(media_root) == []


# --- Portfolio ---------------------------------------------------------------------------------------


def test_portfolio_items_crud(api, media_root, django_capture_on_commit_callbacks):
    freelancer = make_freelancer()
    as_user(freelancer, api)
    created = api.post("/api/me/portfolio/", {"title": "Shop", "url": "https://shop.example"}, format="json")
    assert created.status_code == 201, created.content
    with_image = api.post(
        "/api/me/portfolio/", {"title": "Poster", "image": _upload("p.png", png_bytes())}, format="multipart"
    )
    assert with_image.status_code == 201, with_image.content
    assert with_image.json()["image"]["format"] == "PNG"

    listed = api.get("/api/me/portfolio/").json()
    assert [item["title"] for item in listed["results"]] == ["Shop", "Poster"]

    item_id = created.json()["id"]
    assert api.get(f"/api/me/portfolio/{item_id}/").json()["url"] == "https://shop.example"
    patched = api.patch(f"/api/me/portfolio/{item_id}/", {"description": "A redesign"}, format="json")
    assert (patched.json()["title"], patched.json()["description"]) == ("Shop", "A redesign")
    replaced = api.put(f"/api/me/portfolio/{item_id}/", {"title": "Shop 2"}, format="json")
    assert (replaced.json()["title"], replaced.json()["description"], replaced.json()["url"]) == (
        "Shop 2",
        "",
        "",
    )

    poster_id = with_image.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/me/portfolio/{poster_id}/").status_code == 204
    assert list(PortfolioItem.objects.values_list("title", flat=True)) == ["Shop 2"]
    assert not Image.objects.exists()
    assert files_under(media_root) == []


def test_someone_elses_portfolio_item_is_not_found(api):
    owner = make_freelancer()
    as_user(owner, api)
    item_id = api.post("/api/me/portfolio/", {"title": "Mine"}, format="json").json()["id"]
    api.force_login(make_freelancer())
    assert_error(api.get(f"/api/me/portfolio/{item_id}/"), 404, "portfolio_item_not_found")
    assert_error(
        api.patch(f"/api/me/portfolio/{item_id}/", {"title": "Theirs"}, format="json"),
        404,
        "portfolio_item_not_found",
    )
    assert_error(api.delete(f"/api/me/portfolio/{item_id}/"), 404, "portfolio_item_not_found")
    assert PortfolioItem.objects.get().title == "Mine"
