import pytest

from marketplace.accounts.models import City, FreelancerProfile, PortfolioItem, Skill
from marketplace.accounts.services.profiles import FreelancerProfileInput, freelancer_profile_update
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_freelancer,
    make_organisation,
    make_user,
)
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


def _set_profile(user, **changes) -> FreelancerProfile:
    profile = user.freelancer_profile
    fields = {
        "headline": profile.headline,
        "bio": profile.bio,
        "hourly_rate_minor": profile.hourly_rate_minor,
        "currency": profile.currency,
        "city": profile.city,
        "availability": profile.availability,
        "languages": profile.languages,
        "skills": list(profile.skills.all()),
        "tags": profile.tags,
        "visibility": profile.visibility,
        **changes,
    }
    return freelancer_profile_update(user=user, data=FreelancerProfileInput(**fields))


def _handles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {profile["handle"] for profile in response.json()["results"]}


# --- Public reads ------------------------------------------------------------------------------------


def test_anyone_lists_public_profiles_and_can_filter_by_skill(api):
    python, design = Skill.objects.all()[:2]
    coder = make_freelancer()
    _set_profile(coder, skills=[python], headline="Backend developer")
    designer = make_freelancer()
    _set_profile(designer, skills=[design])
    hidden = make_freelancer()
    _set_profile(hidden, visibility="pool")

    assert _handles(api.get("/api/profiles/")) == {
        coder.freelancer_profile.handle,
        designer.freelancer_profile.handle,
    }
    assert _handles(api.get(f"/api/profiles/?skill={python.slug}")) == {coder.freelancer_profile.handle}
    row = api.get(f"/api/profiles/?skill={python.slug}").json()["results"][0]
    assert row["headline"] == "Backend developer"
    assert row["skills"] == [{"slug": python.slug, "name": python.name, "category": python.category}]


def test_a_public_profile_shows_its_rendered_bio_and_portfolio(api):
    freelancer = make_freelancer()
    _set_profile(freelancer, bio="**Bold** <script>alert(1)</script>")
    PortfolioItem.objects.create(profile=freelancer.freelancer_profile, title="Shop redesign")
    body = api.get(f"/api/profiles/{freelancer.freelancer_profile.handle}/").json()
    assert "<strong>Bold</strong>" in body["bio_html"]
    assert "<script" not in body["bio_html"]
    assert [item["title"] for item in body["portfolio"]] == ["Shop redesign"]
    assert "bio" not in body  # the Markdown source is only in your own profile


def test_an_unknown_handle_is_profile_not_found(api):
    assert_error(api.get("/api/profiles/nobody-here/"), 404, "profile_not_found")


# --- Visibility of a pool-only profile ---------------------------------------------------------------


@pytest.fixture
def pool_only():
    """A pool-only freelancer, active in one organisation's pool and merely invited to another's."""
    freelancer = make_freelancer()
    _set_profile(freelancer, visibility="pool")
    organisation = make_organisation()
    add_to_pool(organisation, freelancer)
    inviting = make_organisation()
    from marketplace.organisations.services.pools import pool_invite

    pool_invite(
        acting_user=inviting.memberships.get().user, organisation=inviting, freelancer_email=freelancer.email
    )
    return freelancer, organisation, inviting


def _viewers(pool_only):
    freelancer, organisation, inviting = pool_only
    return {
        "anonymous": None,
        "another freelancer": make_freelancer(),
        "member of another organisation": add_member(make_organisation(), "owner"),
        "member of an organisation that only invited them": inviting.memberships.get().user,
        "member of the pool's organisation": add_member(organisation, "viewer"),
        "owner of the pool's organisation": organisation.memberships.get(role="owner").user,
        "staff": make_user(staff=True),
        "the freelancer": freelancer,
    }


SEES = {
    "member of the pool's organisation",
    "owner of the pool's organisation",
    "staff",
    "the freelancer",
}


def test_a_pool_only_profile_is_404_except_for_its_pools_members_staff_and_the_freelancer(api, pool_only):
    freelancer = pool_only[0]
    handle = freelancer.freelancer_profile.handle
    for name, viewer in _viewers(pool_only).items():
        api.logout()
        if viewer is not None:
            api.force_login(viewer)
        detail = api.get(f"/api/profiles/{handle}/")
        listed = handle in _handles(api.get("/api/profiles/?page_size=100"))
        if name in SEES:
            assert detail.status_code == 200, name
            assert detail.json()["visibility"] == "pool"
            assert listed, name
        else:
            assert_error(detail, 404, "profile_not_found")
            assert not listed, name


def test_ending_the_pool_membership_hides_the_profile_again(api, pool_only):
    freelancer, organisation, _ = pool_only
    member = add_member(organisation, "viewer")
    handle = freelancer.freelancer_profile.handle
    as_user(member, api)
    assert api.get(f"/api/profiles/{handle}/").status_code == 200
    membership = freelancer.pool_memberships.get(pool__organisation=organisation)
    api.force_login(freelancer)
    assert api.post(f"/api/pool-memberships/{membership.pk}/end/", {}).status_code == 200
    api.force_login(member)
    assert_error(api.get(f"/api/profiles/{handle}/"), 404, "profile_not_found")


# --- Your own profile -------------------------------------------------------------------------------


def _full_profile(**changes) -> dict:
    skills = list(Skill.objects.values_list("slug", flat=True)[:3])
    city = City.objects.order_by("-population").first()
    return {
        "headline": "Data engineer",
        "bio": "I build *pipelines*.",
        "hourly_rate_minor": 9500,
        "currency": "EUR",
        "city": city.geonameid,
        "availability": "part_time",
        "languages": ["en", "de"],
        "skills": skills,
        "tags": ["Airflow", "airflow", "dbt"],
        "visibility": "pool",
        **changes,
    }


def test_put_replaces_the_profile(api):
    freelancer = make_freelancer()
    response = as_user(freelancer, api).put("/api/me/freelancer-profile/", _full_profile(), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["headline"] == "Data engineer"
    assert body["bio"] == "I build *pipelines*."
    assert "<em>pipelines</em>" in body["bio_html"]
    assert (body["hourly_rate_minor"], body["currency"]) == (9500, "EUR")
    assert body["tags"] == ["airflow", "dbt"]
    assert len(body["skills"]) == 3
    profile = FreelancerProfile.objects.get(user=freelancer)
    assert profile.visibility == "pool"
    assert profile.city.geonameid == body["city"]["geonameid"]
    assert api.get("/api/me/freelancer-profile/").json() == body


def test_put_needs_every_field_and_changes_nothing_without_them(api):
    freelancer = make_freelancer()
    error = assert_error(
        as_user(freelancer, api).put("/api/me/freelancer-profile/", {"headline": "x"}, format="json"),
        400,
        "invalid",
    )
    assert error["fields"]["visibility"][0]["code"] == "required"
    assert FreelancerProfile.objects.get(user=freelancer).headline == ""


def test_patch_changes_only_what_is_sent(api):
    freelancer = make_freelancer()
    as_user(freelancer, api).put("/api/me/freelancer-profile/", _full_profile(), format="json")
    response = api.patch("/api/me/freelancer-profile/", {"headline": "Analytics engineer"}, format="json")
    assert response.status_code == 200, response.content
    profile = FreelancerProfile.objects.get(user=freelancer)
    assert (profile.headline, profile.hourly_rate_minor, profile.visibility) == (
        "Analytics engineer",
        9500,
        "pool",
    )
    assert profile.skills.count() == 3


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"currency": "XYZ"}, 400, "unknown_currency"),
        ({"hourly_rate_minor": 0}, 400, "invalid_rate"),
        ({"tags": [f"tag{i}" for i in range(11)]}, 400, "too_many_tags"),
        ({"tags": ["x" * 31]}, 400, "tag_too_long"),
        ({"visibility": "secret"}, 400, "invalid"),
        ({"skills": ["no-such-skill"]}, 400, "invalid"),
        ({"city": 1}, 400, "invalid"),
    ],
)
def test_bad_profile_input_is_refused_with_a_code(api, changes, status, code):
    freelancer = make_freelancer()
    response = as_user(freelancer, api).patch("/api/me/freelancer-profile/", changes, format="json")
    assert_error(response, status, code)
    profile = FreelancerProfile.objects.get(user=freelancer)
    assert (profile.currency, profile.visibility, profile.tags) == ("USD", "public", [])


def test_a_client_has_no_freelancer_profile(api):
    as_user(make_client(), api)
    assert_error(api.get("/api/me/freelancer-profile/"), 403, "not_a_freelancer")
    assert_error(
        api.patch("/api/me/freelancer-profile/", {"headline": "x"}, format="json"), 403, "not_a_freelancer"
    )


def test_reference_data_for_editing(api):
    skills = api.get("/api/skills/").json()
    assert len(skills) == Skill.objects.count() > 0
    cities = api.get("/api/cities/?q=Par").json()
    assert cities
    assert all(city["name"].startswith("Par") for city in cities)
    assert api.get("/api/cities/?q=P").json() == []
