"""Profile pages: editing one's own freelancer and client profile, avatar uploads refused or cleaned,
the portfolio, the public profile's visibility and its query count, the city search."""

import io
from pathlib import Path

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import Badge, City, FreelancerProfile, Image, PortfolioItem, Skill
from marketplace.accounts.services.profiles import portfolio_item_create
from marketplace.organisations.models import Role
from tests.factories import add_member, add_to_pool, make_client, make_freelancer, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), **save_options) -> bytes:
    out = io.BytesIO()
    PIL.Image.new("RGB", size, (11, 107, 97)).save(out, fmt, **save_options)
    return out.getvalue()


def _profile_data(**overrides) -> dict:
    data = {
        "headline": "Django developer for marketplaces",
        "bio": "I build **payment** flows.\n\n<script>alert(1)</script>",
        "skills": [],
        "tags": "escrow, Stripe Connect, escrow",
        "hourly_rate": "85.50",
        "currency": "EUR",
        "city": "",
        "availability": FreelancerProfile.Availability.PART_TIME,
        "languages": ["en", "pt"],
        "visibility": FreelancerProfile.Visibility.PUBLIC,
    }
    data.update(overrides)
    return data


# --- Editing -----------------------------------------------------------------------------------


def test_a_client_without_the_freelancer_role_is_refused_the_profile_editor(client):
    client.force_login(make_client())
    for name in ("frontend:profile_edit", "frontend:portfolio"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        text = response.content.decode()
        assert "Only freelancers have a freelancer profile." in text
        assert reverse("frontend:account_settings") in text
    response = client.post(reverse("frontend:profile_avatar"), {"image": SimpleUploadedFile("a.png", b"x")})
    assert response.status_code == 403


def test_a_freelancer_is_refused_the_client_profile_editor(client):
    client.force_login(make_freelancer())
    response = client.get(reverse("frontend:client_profile_edit"))
    assert response.status_code == 403
    assert "Only clients have a client profile." in response.content.decode()


def test_the_profile_editor_shows_skills_by_category_and_the_city_search(client):
    client.force_login(make_freelancer())
    response = client.get(reverse("frontend:profile_edit"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Web development" in text
    assert "Field services" in text
    assert f'hx-get="{reverse("frontend:cities")}"' in text
    assert 'src="/static/frontend/profile-edit.js"' in text
    assert "<script>" not in text


def test_saving_the_profile_stores_minor_units_sanitised_markdown_and_choices(client):
    user = make_freelancer()
    skills = list(Skill.objects.filter(name__in=["Python", "Django", "Figma"]))
    city = City.objects.filter(name="Lisbon").first() or City.objects.first()
    client.force_login(user)
    response = client.post(
        reverse("frontend:profile_edit"),
        _profile_data(skills=[skill.pk for skill in skills], city=city.pk),
    )
    assert response.status_code == 302
    profile = FreelancerProfile.objects.get(user=user)
    assert profile.hourly_rate_minor == 8550
    assert profile.currency == "EUR"
    assert profile.city == city
    assert profile.tags == ["escrow", "stripe connect"]
    assert profile.languages == ["en", "pt"]
    assert set(profile.skills.all()) == set(skills)
    assert "<strong>payment</strong>" in profile.bio_html
    assert "<script" not in profile.bio_html

    text = client.get(reverse("frontend:profile_edit")).content.decode()
    assert 'value="85.50"' in text
    assert f"{city.name}, {city.country_code}" in text


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"hourly_rate": "85.505"}, 400, "EUR amounts use 2 decimal places."),
        ({"hourly_rate": "-3"}, 400, "Ensure this value is greater than or equal to 0.01."),
        ({"currency": "XYZ"}, 400, "Select a valid choice."),
        ({"city": "999999999"}, 400, "Choose a city from the suggestions."),
        ({"tags": ", ".join(f"tag{i}" for i in range(11))}, 400, "Use at most 10 tags."),
    ],
    ids=["too-many-decimals", "negative-rate", "unknown-currency", "unknown-city", "too-many-tags"],
)
def test_bad_profile_input_is_shown_and_changes_nothing(client, overrides, status, message):
    user = make_freelancer()
    client.force_login(user)
    response = client.post(reverse("frontend:profile_edit"), _profile_data(**overrides))
    assert response.status_code == status
    text = response.content.decode()
    assert message in text
    assert 'class="alert alert--error"' in text
    profile = FreelancerProfile.objects.get(user=user)
    assert profile.headline == ""
    assert profile.hourly_rate_minor is None


def test_the_client_profile_saves(client):
    user = make_client()
    client.force_login(user)
    city = City.objects.first()
    response = client.post(
        reverse("frontend:client_profile_edit"),
        {"company_name": " Acme Ltd ", "website": "acme.example", "city": city.pk},
    )
    assert response.status_code == 302
    user.client_profile.refresh_from_db()
    assert user.client_profile.company_name == "Acme Ltd"
    assert user.client_profile.website == "https://acme.example"
    assert user.client_profile.city == city


def test_the_city_search_answers_with_matching_cities(client):
    client.force_login(make_freelancer())
    text = client.get(reverse("frontend:cities"), {"q": "Lisb"}).content.decode()
    assert "Lisbon" in text
    assert "data-city-id" in text
    text = client.get(reverse("frontend:cities"), {"q": "Qqqqzz"}).content.decode()
    assert "No city in our list starts with" in text
    assert client.get(reverse("frontend:cities"), {"q": "L"}).content.decode().strip() == ""


# --- Avatar uploads ----------------------------------------------------------------------------


def _sixty_megapixel_png() -> bytes:
    out = io.BytesIO()
    PIL.Image.new("1", (8000, 7500)).save(out, "PNG", optimize=True)  # a few kB of zeros
    return out.getvalue()


BAD_UPLOADS = {
    "text-named-png": (
        lambda: b"just some words, not an image\n" * 20,
        "notes.png",
        415,
        "not a JPEG, PNG or WebP",
    ),
    "svg-with-script": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "logo.svg",
        415,
        "SVG included, are not accepted",
    ),
    "empty-file": (lambda: b"", "empty.jpg", 400, "The file is empty."),
    "eleven-megabytes": (
        lambda: b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024),
        "big.jpg",
        413,
        "the limit is 10.0 MB",
    ),
    "sixty-megapixels": (_sixty_megapixel_png, "huge.png", 413, "the limit is 25 megapixels"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_refused_avatar_shows_why_and_leaves_no_row_or_file(client, media_root, case):
    make_data, name, status, message = BAD_UPLOADS[case]
    user = make_freelancer()
    client.force_login(user)
    upload = SimpleUploadedFile(name, make_data(), content_type="image/png")
    response = client.post(reverse("frontend:profile_avatar"), {"image": upload})
    assert response.status_code == status
    text = response.content.decode()
    assert message in text
    assert 'class="alert alert--error"' in text or 'class="errorlist' in text
    assert Image.objects.count() == 0
    assert _files_under(media_root) == []
    assert FreelancerProfile.objects.get(user=user).avatar is None


def test_a_jpeg_avatar_is_stored_without_its_exif(client, media_root):
    user = make_freelancer()
    client.force_login(user)
    exif = PIL.Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    exif[0x0132] = "2024:01:01 12:00:00"  # DateTime
    data = _image_bytes("JPEG", (300, 200), exif=exif.tobytes())
    assert PIL.Image.open(io.BytesIO(data)).getexif()  # the upload has EXIF

    response = client.post(reverse("frontend:profile_avatar"), {"image": SimpleUploadedFile("me.jpg", data)})
    assert response.status_code == 302
    image = FreelancerProfile.objects.get(user=user).avatar
    assert image is not None
    assert image.format == "JPEG"
    stored = Path(image.file.path)
    assert stored.is_relative_to(media_root)
    with PIL.Image.open(stored) as reopened:
        assert not reopened.getexif()
        assert "exif" not in reopened.info
    assert b"Secret Camera Maker" not in stored.read_bytes()

    page = client.get(reverse("frontend:profile_edit")).content.decode()
    assert image.url in page
    assert "Remove photo" in page


def test_removing_the_avatar(client, media_root, django_capture_on_commit_callbacks):
    user = make_freelancer()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("frontend:profile_avatar"), {"image": SimpleUploadedFile("me.png", _image_bytes())}
        )
    assert Image.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("frontend:profile_avatar_remove"))
    assert response.status_code == 302
    assert Image.objects.count() == 0
    assert FreelancerProfile.objects.get(user=user).avatar is None
    assert _files_under(media_root) == []


# --- Portfolio ---------------------------------------------------------------------------------


def test_portfolio_empty_state_add_edit_and_delete(client, media_root, django_capture_on_commit_callbacks):
    user = make_freelancer()
    client.force_login(user)
    assert "Your portfolio is empty" in client.get(reverse("frontend:portfolio")).content.decode()

    response = client.post(
        reverse("frontend:portfolio"),
        {
            "title": "Shop redesign",
            "description": "Checkout in two steps.",
            "url": "https://shop.example",
            "image": SimpleUploadedFile("shot.png", _image_bytes()),
        },
    )
    assert response.status_code == 302
    item = PortfolioItem.objects.get(profile__user=user)
    assert item.image is not None
    text = client.get(reverse("frontend:portfolio")).content.decode()
    assert "Shop redesign" in text
    assert "Your portfolio is empty" not in text

    response = client.post(
        reverse("frontend:portfolio_edit", kwargs={"item_id": item.pk}),
        {"title": "Shop redesign, v2", "description": "", "url": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Shop redesign, v2"
    assert item.image is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("frontend:portfolio_delete", kwargs={"item_id": item.pk}))
    assert response.status_code == 302
    assert not PortfolioItem.objects.exists()
    assert Image.objects.count() == 0
    assert _files_under(media_root) == []


def test_a_portfolio_item_with_a_bad_image_is_refused_whole(client, media_root):
    client.force_login(make_freelancer())
    response = client.post(
        reverse("frontend:portfolio"),
        {"title": "Logo", "image": SimpleUploadedFile("logo.svg", b"<svg><script>alert(1)</script></svg>")},
    )
    assert response.status_code == 415
    assert "SVG included, are not accepted" in response.content.decode()
    assert not PortfolioItem.objects.exists()
    assert Image.objects.count() == 0
    assert _files_under(media_root) == []


def test_someone_elses_portfolio_item_is_not_found(client):
    other = make_freelancer()
    item = portfolio_item_create(user=other, title="Theirs", description="", url="", image_data=None)
    client.force_login(make_freelancer())
    assert client.get(reverse("frontend:portfolio_edit", kwargs={"item_id": item.pk})).status_code == 404
    assert client.post(reverse("frontend:portfolio_delete", kwargs={"item_id": item.pk})).status_code == 404
    assert PortfolioItem.objects.filter(pk=item.pk).exists()


# --- Public profile ----------------------------------------------------------------------------


def _public_url(user) -> str:
    return reverse("frontend:freelancer", kwargs={"handle": user.freelancer_profile.handle})


def _make_pool_only(user) -> None:
    FreelancerProfile.objects.filter(user=user).update(visibility=FreelancerProfile.Visibility.POOL)


def test_a_public_profile_shows_what_the_freelancer_entered(client):
    user = make_freelancer(full_name="Ada Lovelace")
    profile = user.freelancer_profile
    profile.headline = "Analytical engines"
    profile.bio_html = "<p>I write <strong>programs</strong>.</p>"
    profile.hourly_rate_minor = 12000
    profile.currency = "GBP"
    profile.languages = ["en", "fr"]
    profile.tags = ["bernoulli numbers"]
    profile.city = City.objects.get(name="London", country_code="GB")
    profile.save()
    profile.skills.set(Skill.objects.filter(name__in=["Python", "Data analysis"]))
    Badge.objects.create(user=user, kind=Badge.Kind.IDENTITY)

    response = client.get(_public_url(user))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "Ada Lovelace",
        "Analytical engines",
        "<strong>programs</strong>",
        "120.00 GBP",
        "London, GB",
        "local time",
        "English",
        "French",
        "bernoulli numbers",
        "Web development",
        "Data &amp; AI",
        "Identity verified",
        "No portfolio items yet.",
    ):
        assert expected in text, expected
    assert "Invite to talent pool" not in text


def test_a_pool_only_profile_is_404_to_visitors_and_others_but_visible_to_its_owner_and_the_pool(client):
    freelancer = make_freelancer()
    organisation = make_organisation()
    add_to_pool(organisation, freelancer)
    _make_pool_only(freelancer)
    url = _public_url(freelancer)

    assert client.get(url).status_code == 404
    client.force_login(make_freelancer())
    assert client.get(url).status_code == 404
    client.force_login(make_organisation().memberships.get().user)
    assert client.get(url).status_code == 404

    client.force_login(freelancer)
    response = client.get(url)
    assert response.status_code == 200
    assert "This is how others see your profile." in response.content.decode()
    assert "Only organisations whose talent pools you belong to" in response.content.decode()

    client.force_login(add_member(organisation, Role.VIEWER))
    assert client.get(url).status_code == 200


def test_pool_managers_get_an_invite_form_per_organisation(client):
    freelancer = make_freelancer()
    owner = make_client()
    first = make_organisation(owner=owner, name="Alpha Works")
    second = make_organisation(owner=owner, name="Beta Labs")
    make_organisation(name="Not Theirs")
    client.force_login(owner)
    text = client.get(_public_url(freelancer)).content.decode()
    assert text.count(f'name="freelancer_handle" value="{freelancer.freelancer_profile.handle}"') == 2
    assert freelancer.email not in text  # the button invites by handle: the address stays private
    for organisation in (first, second):
        action = reverse("frontend:organisation_pool_invite", kwargs={"slug": organisation.slug})
        assert f'action="{action}"' in text
    assert "Not Theirs" not in text

    response = client.post(
        reverse("frontend:organisation_pool_invite", kwargs={"slug": first.slug}),
        {"freelancer_handle": freelancer.freelancer_profile.handle, "message": "Welcome"},
    )
    assert response.status_code == 302
    assert first.pools.get().memberships.get().freelancer == freelancer

    client.force_login(add_member(first, Role.FINANCE))  # finance may not manage the pool
    assert 'name="freelancer_handle"' not in client.get(_public_url(freelancer)).content.decode()


def _profile_with(rows: int) -> FreelancerProfile:
    user = make_freelancer()
    profile = user.freelancer_profile
    profile.skills.set(Skill.objects.all()[:rows])
    profile.tags = [f"tag {i}" for i in range(min(rows, 10))]
    profile.languages = ["en", "de", "fr"][: min(rows, 3)]
    profile.city = City.objects.first()
    profile.save()
    # 50 is more than a portfolio may hold (30), so the rows are made directly: only reading them counts.
    images = Image.objects.bulk_create(
        Image(owner=user, kind=Image.Kind.PORTFOLIO, file=f"images/t/{i}/original.png", format="PNG",
              width=8, height=8, size_bytes=100, renditions={"width_640": f"images/t/{i}/width_640.webp"})
        for i in range(rows)
    )  # fmt: skip
    PortfolioItem.objects.bulk_create(
        PortfolioItem(profile=profile, title=f"Item {i}", image=image, position=i)
        for i, image in enumerate(images)
    )
    Badge.objects.create(user=user, kind=Badge.Kind.EMAIL)
    return profile


@pytest.mark.parametrize("viewer", ["anonymous", "pool-manager"])
def test_the_public_profile_makes_the_same_number_of_queries_for_1_and_50_rows(client, media_root, viewer):
    assert Skill.objects.count() >= 50
    if viewer == "pool-manager":
        owner = make_client()
        make_organisation(owner=owner)
        make_organisation(owner=owner)
        client.force_login(owner)

    counts = {}
    for rows in (1, 50):
        profile = _profile_with(rows)
        url = reverse("frontend:freelancer", kwargs={"handle": profile.handle})
        client.get(url)  # warm up caches (e.g. the session) outside the measurement
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="card portfolio-card"') == rows
        counts[rows] = len(queries)
    assert counts[1] == counts[50], counts
    assert counts[1] <= 14, counts  # 12, and the reputation and the newest reviews since issue 17
