"""Profile images are handed out by a checked route: a pool-only profile's avatar and portfolio
images only to those who may see the profile (for as long as they may), a public profile's to
everyone with a cacheable answer. The plain media URL serves none of them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.accounts.models import FreelancerProfile
from marketplace.organisations.services.pools import pool_membership_end
from tests.factories import add_member, add_to_pool, make_client, make_freelancer, make_organisation
from tests.support.api import as_user

from .helpers import png_bytes

pytestmark = pytest.mark.django_db


def _with_images(freelancer, api, *, visibility: str) -> dict:
    as_user(freelancer, api)
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = api.put("/api/me/freelancer-profile/avatar/", {"image": upload}, format="multipart")
    assert response.status_code in (200, 201), response.content
    picture = SimpleUploadedFile("work.png", png_bytes(color=(0, 90, 200)), content_type="image/png")
    response = api.post("/api/me/portfolio/", {"title": "Work", "image": picture})
    assert response.status_code == 201, response.content
    FreelancerProfile.objects.filter(user=freelancer).update(visibility=visibility)
    profile = FreelancerProfile.objects.get(user=freelancer)
    api.logout()
    return {
        "files": [profile.avatar.file.name, profile.portfolio_items.get().image.file.name],
        "handle": profile.handle,
    }


def _urls(api, viewer, handle: str) -> list[str]:
    body = as_user(viewer, api).get(f"/api/profiles/{handle}/").json()
    avatar = body["avatar"]
    return [avatar["url"], avatar["renditions"]["square_256"], body["portfolio"][0]["image"]["url"]]


def test_a_pool_only_profiles_images_only_for_those_who_see_the_profile(api, media_root):
    freelancer = make_freelancer()
    stored = _with_images(freelancer, api, visibility="pool")
    organisation = make_organisation(name="Acme")
    membership = add_to_pool(organisation, freelancer)
    member = add_member(organisation, "viewer")

    # The plain media URL never serves them, not even to their owner.
    for name in stored["files"]:
        for viewer in (None, freelancer, member):
            assert as_user(viewer, api).get(f"/media/{name}").status_code == 404, name
            api.logout()

    urls = _urls(api, member, stored["handle"])
    for url in urls:
        assert not url.startswith("/media/"), url
        for viewer in (member, freelancer):  # positive controls
            response = as_user(viewer, api).get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] in {"image/png", "image/webp"}
            assert "no-store" in response["Cache-Control"]
            assert b"".join(response.streaming_content)
            api.logout()
        for stranger in (None, make_client(), add_member(make_organisation(), "owner")):
            assert as_user(stranger, api).get(url).status_code == 404, url
            api.logout()

    # Leaving the pool takes the organisation's access away, URLs it saw included.
    pool_membership_end(acting_user=freelancer, membership_id=membership.pk)
    for url in urls:
        assert as_user(member, api).get(url).status_code == 404


def test_a_public_profiles_images_are_public_and_cacheable(api, media_root):
    stored = _with_images(make_freelancer(), api, visibility="public")
    for url in _urls(api, None, stored["handle"]):
        response = as_user(None, api).get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]
        assert "max-age" in response["Cache-Control"]


def test_an_unknown_image_or_rendition_is_not_found(api, media_root):
    stored = _with_images(make_freelancer(), api, visibility="public")
    url = _urls(api, None, stored["handle"])[0]
    base = url.rsplit("/", 1)[0]
    assert api.get(f"{base}/../../media/{stored['files'][0]}").status_code == 404
    assert api.get(f"{base}/secret.png").status_code == 404
    assert api.get("/images/00000000-0000-0000-0000-000000000000/original.png").status_code == 404


def test_the_images_folder_is_private_in_the_app_and_in_the_proxy():
    import re
    from pathlib import Path

    from django.conf import settings

    assert "images" in settings.PRIVATE_MEDIA_DIRS
    nginx = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    assert re.search(r"location \^~ /media/images/ \{\s*return 404;", nginx)


def test_the_contracting_organisation_sees_the_pictures_of_the_profile_it_may_open(api, media_root):
    """The pictures follow the profile: an organisation with a contract opens a pool-only profile
    of someone outside its pool (``profile_audiences``), pictures included, by the same roles."""
    from marketplace.organisations.models import Role
    from tests.factories import make_contract

    freelancer = make_freelancer()
    stored = _with_images(freelancer, api, visibility="pool")
    buyer = make_organisation(name="Buyer Ltd")
    make_contract(organisation=buyer, freelancer=freelancer)
    owner = buyer.memberships.get().user
    urls = _urls(api, owner, stored["handle"])
    for url in urls:
        assert as_user(owner, api).get(url).status_code == 200, url
        for outsider in (add_member(buyer, Role.VIEWER), make_client()):  # not working with her
            assert as_user(outsider, api).get(url).status_code == 404, url
        api.logout()
