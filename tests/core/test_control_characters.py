"""Titles and names with control characters or bidirectional overrides are refused with the code
``control_characters``, through the API and the pages alike (one validator, ``core.text``); ordinary
text in any script still goes through."""

import pytest
from django.core.exceptions import ValidationError

from marketplace.core.text import validate_multiline_text, validate_single_line_text
from marketplace.organisations.models import Organisation
from tests.factories import JOB_FIELDS, make_client, make_user
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.mark.parametrize(
    ("method", "url", "field", "body"),
    [
        ("post", "/api/organisations/", "name", {}),
        ("patch", "/api/me/", "full_name", {}),
        ("post", "/api/jobs/", "title", JOB_FIELDS),
        ("post", "/api/me/portfolio/", "title", {}),
    ],
)
@pytest.mark.parametrize(
    "bad", [f"invoice{RLO}fdp.exe", "Acme\u2066Rockets", "Acme\x00Rockets", "Acme\nRockets"]
)
def test_the_api_refuses_control_and_bidi_characters_in_titles_and_names(method, url, field, body, bad):
    api = as_user(make_user(client=True, freelancer=True))  # one who may post jobs and a portfolio
    response = getattr(api, method)(url, {**body, field: bad}, format="json")
    error = assert_error(response, 400, "invalid")
    # (DRF adds its own null_characters_not_allowed for U+0000.)
    assert "control_characters" in [e["code"] for e in error["fields"][field]]


def test_ordinary_names_in_any_script_still_go_through():
    api = as_user(make_client())
    for name in ["Café Zürich", "株式会社 東京", "شركة القاهرة", "O'Brien & Sons"]:
        assert api.post("/api/organisations/", {"name": name}, format="json").status_code == 201
    assert api.patch("/api/me/", {"full_name": "Zoë Ångström"}, format="json").status_code == 200


def test_the_organisation_page_refuses_them_too(client):
    client.force_login(make_client())
    response = client.post("/organisations/", {"name": f"Acme{RLO}Rockets"})
    assert response.status_code == 400
    assert not Organisation.objects.filter(name__contains="Acme").exists()
    assert "control character" in response.content.decode()


def test_multiline_text_keeps_its_newlines_and_tabs():
    validate_multiline_text("Line one\nLine two\r\n\tindented")
    with pytest.raises(ValidationError):
        validate_multiline_text(f"Line {RLO}one")
    with pytest.raises(ValidationError):
        validate_single_line_text("Line one\nLine two")
