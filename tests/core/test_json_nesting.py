"""JSON nested deeper than any request of ours needs is refused with a 400 and a code, on the REST API
(DRF's parser) and on allauth's headless endpoints; Python's parser recursed past its limit on
``[[[[…`` and the RecursionError was a 500."""

import pytest

from marketplace.core.json_nesting import MAX_JSON_DEPTH, nested_deeper_than
from tests.factories import make_user
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000
HEADLESS = [
    f"/_allauth/{client}/v1/auth/{step}"
    for client, step in [("browser", "login"), ("app", "login"), ("browser", "signup")]
]


def test_the_api_refuses_deep_json_on_any_write_with_a_code():
    api = as_user(make_user(client=True, freelancer=True))  # one who may write each of these
    for method, url in [
        ("POST", "/api/organisations/"),
        ("PATCH", "/api/me/"),
        ("POST", "/api/me/portfolio/"),
    ]:
        response = api.generic(method, url, DEEP, content_type="application/json")
        assert_error(response, 400, "too_deeply_nested")
    # The control: a body of ordinary depth still goes through.
    response = api.post("/api/organisations/", {"name": "Acme Rockets"}, format="json")
    assert response.status_code == 201, response.content


def test_headless_auth_refuses_deep_json_in_its_own_error_shape():
    api = as_user(None)
    for url in [
        "/_allauth/browser/v1/auth/login",
        "/_allauth/app/v1/auth/login",
        "/_allauth/browser/v1/auth/signup",
    ]:
        response = api.generic("POST", url, DEEP, content_type="application/json")
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["code"] == "too_deeply_nested"
    # The control: a shallow body reaches allauth, which answers as it always did.
    response = api.post(
        "/_allauth/browser/v1/auth/login",
        {"email": "nobody@example.com", "password": "x" * 12},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] != "too_deeply_nested"


@pytest.mark.parametrize(
    ("body", "deeper"),
    [
        ("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, False),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), True),
        ('{"a": "' + "[" * 100 + '"}', False),  # brackets inside a string do not count
        ('{"a": "\\"' + "[" * 100 + '"}', False),  # nor after an escaped quote
        ('{"a": "\\\\"' + ", " + "[" * 100, True),  # an escaped backslash ends the string
    ],
)
def test_nesting_is_counted_outside_strings(body, deeper):
    assert nested_deeper_than(body.encode(), MAX_JSON_DEPTH) is deeper
