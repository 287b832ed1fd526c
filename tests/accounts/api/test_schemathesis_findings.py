"""What the schemathesis run (tests/checks/test_api_conformance.py) found on its first pass, each a
500 before: a NUL character in the city search or in a skill slug reached PostgreSQL (which refuses
NUL in text), and an organisation name of the full 120 characters made a default talent pool name
too long for its column."""

import pytest

from marketplace.accounts.models import Skill
from marketplace.organisations.models import Organisation
from tests.factories import make_client, make_freelancer
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_city_search_finds_nothing():
    api = as_user(None)
    api.raise_request_exception = False
    response = api.get("/api/cities/?q=Par%00is")
    assert response.status_code == 200
    assert response.json() == []


def test_a_nul_in_a_skill_slug_is_an_unknown_skill():
    api = as_user(make_freelancer())
    api.raise_request_exception = False
    response = api.patch("/api/me/freelancer-profile/", {"skills": ["django\x00"]}, format="json")
    error = assert_error(response, 400, "invalid")
    assert [e["code"] for e in error["fields"]["skills"]] == ["does_not_exist"]
    real = Skill.objects.order_by("pk").first()
    assert api.patch("/api/me/freelancer-profile/", {"skills": [real.slug]}, format="json").status_code == 200


def test_an_organisation_name_of_the_full_length_creates_its_talent_pool():
    api = as_user(make_client())
    api.raise_request_exception = False
    response = api.post("/api/organisations/", {"name": "N" * 120}, format="json")
    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get(slug=response.json()["slug"])
    pool = organisation.pools.get(is_default=True)
    assert pool.name.endswith(" talent pool")
    assert len(pool.name) <= 120
