"""The profiles list (/api/profiles/) for anonymous visitors comes from the public-list cache: a
repeat reads no SQL, every change a visitor could see shows on the very next request, and nobody else
ever reads or writes the anonymous entries (marketplace.core.public_lists)."""

import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from marketplace.accounts.models import Skill
from marketplace.accounts.services.profiles import (
    FreelancerProfileInput,
    avatar_set,
    freelancer_profile_update,
)
from marketplace.accounts.services.staff import badge_grant, user_suspend
from marketplace.accounts.services.uploads import image_renditions_make
from tests.factories import add_to_pool, make_freelancer, make_organisation, make_user
from tests.support.api import as_user, assert_error, make_api_key, with_key
from tests.support.images import image_bytes

pytestmark = pytest.mark.django_db
URL = "/api/profiles/"


def _set_profile(user, **changes):
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


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _cached(django_assert_num_queries, url=URL):
    with django_assert_num_queries(0):
        response = APIClient().get(url)
    assert response.status_code == 200, response.content
    assert not response.cookies
    return response


@pytest.mark.parametrize("rows", [1, 50])
def test_an_anonymous_repeat_is_answered_from_the_cache(django_assert_num_queries, rows):
    for _ in range(rows):
        make_freelancer()
    first = APIClient().get(URL, {"page_size": 100})
    assert len(_rows(first)) == rows
    assert not first.cookies
    assert _cached(django_assert_num_queries, f"{URL}?page_size=100").json() == first.json()


def test_each_query_string_is_its_own_entry(django_assert_num_queries):
    python = Skill.objects.order_by("pk").first()
    coder = make_freelancer()
    _set_profile(coder, skills=[python])
    make_freelancer()
    assert len(_rows(APIClient().get(URL))) == 2
    assert [row["handle"] for row in _rows(APIClient().get(f"{URL}?skill={python.slug}"))] == [
        coder.freelancer_profile.handle
    ]
    assert len(_rows(APIClient().get(f"{URL}?page_size=1"))) == 1
    assert len(_rows(_cached(django_assert_num_queries))) == 2
    assert len(_rows(_cached(django_assert_num_queries, f"{URL}?skill={python.slug}"))) == 1


def _edit(user, staff):
    _set_profile(user, headline="Now a data engineer")


def _hide(user, staff):
    _set_profile(user, visibility="pool")


def _add_skill(user, staff):
    _set_profile(user, skills=[Skill.objects.order_by("pk").first()])


def _suspend(user, staff):
    user_suspend(acting_user=staff, user_id=user.pk, reason="Spam")


def _deactivate(user, staff):
    user.is_active = False
    user.save(update_fields=["is_active"])


def _rename(user, staff):
    user.full_name = "Renamed Freelancer"
    user.save(update_fields=["full_name"])


def _badge(user, staff):
    badge_grant(acting_user=staff, user_id=user.pk, kind="identity")


def _avatar(user, staff):
    avatar_set(user=user, data=image_bytes())


CHANGES = {
    "the profile is edited": (_edit, lambda rows: rows[0]["headline"] == "Now a data engineer"),
    "the profile is hidden": (_hide, lambda rows: rows == []),
    "a skill is added": (_add_skill, lambda rows: len(rows[0]["skills"]) == 1),
    "the user is suspended": (_suspend, lambda rows: rows == []),
    "the user is deactivated": (_deactivate, lambda rows: rows == []),
    "the user is renamed": (_rename, lambda rows: rows[0]["full_name"] == "Renamed Freelancer"),
    "a badge is granted": (_badge, lambda rows: "identity" in rows[0]["badges"]),
    "an avatar is set": (_avatar, lambda rows: rows[0]["avatar"] is not None),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_shows_on_the_very_next_anonymous_request(
    django_assert_num_queries, django_capture_on_commit_callbacks, change
):
    make_, shows = CHANGES[change]
    staff = make_user(staff=True)
    user = make_freelancer()
    before = _rows(APIClient().get(URL))
    assert len(before) == 1
    assert _rows(_cached(django_assert_num_queries)) == before
    assert not shows(before)
    with django_capture_on_commit_callbacks(execute=True):
        make_(user, staff)
    assert shows(_rows(APIClient().get(URL)))


def test_an_avatars_renditions_show_on_the_next_request(django_capture_on_commit_callbacks):
    """The renditions are written with QuerySet.update(), which sends no signal: the service bumps."""
    user = make_freelancer()
    image = avatar_set(user=user, data=image_bytes())
    before = _rows(APIClient().get(URL))[0]["avatar"]["renditions"]
    assert len(set(before.values())) == 1  # every rendition falls back to the original
    with django_capture_on_commit_callbacks(execute=True):
        image_renditions_make(image_id=image.pk)
    after = _rows(APIClient().get(URL))[0]["avatar"]["renditions"]
    assert after != before
    assert after["square_96"].endswith("square_96.webp")


def test_a_login_leaves_the_entry_in_place(client, django_assert_num_queries):
    """Negative control: logging in saves last_login, which no list shows."""
    user = make_freelancer()
    APIClient().get(URL)
    client.force_login(user)
    _cached(django_assert_num_queries)


def test_a_pool_only_profile_is_never_cached_for_anonymous_visitors(django_assert_num_queries):
    organisation = make_organisation()
    member = organisation.memberships.get(role="owner").user
    public = make_freelancer()
    pooled = make_freelancer()
    _set_profile(pooled, visibility="pool")
    add_to_pool(organisation, pooled)
    handles = {public.freelancer_profile.handle, pooled.freelancer_profile.handle}
    assert {row["handle"] for row in _rows(as_user(member).get(URL))} >= handles
    anonymous = [row["handle"] for row in _rows(APIClient().get(URL))]
    assert pooled.freelancer_profile.handle not in anonymous
    assert [row["handle"] for row in _rows(_cached(django_assert_num_queries))] == anonymous
    with CaptureQueriesContext(connection) as captured:
        assert pooled.freelancer_profile.handle in {row["handle"] for row in _rows(as_user(member).get(URL))}
    assert len(captured) > 0


def test_api_key_requests_are_refused_as_before_never_served_the_cached_list():
    make_freelancer()
    APIClient().get(URL)
    key = make_api_key(make_organisation())
    assert_error(with_key(APIClient(), key).get(URL), 403, "api_key_not_allowed")


def test_throttling_counts_cached_answers(monkeypatch):
    make_freelancer()
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min", "api_key": "2/min"}
    )
    address = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
    statuses = [APIClient().get(URL, REMOTE_ADDR=address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
