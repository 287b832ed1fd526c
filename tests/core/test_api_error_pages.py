"""Anything under /api/ answers in the API's one error shape, whichever layer refuses it: the route
that matches no endpoint, a path no route can match at all (a newline in it), and Django's own CSRF
check; the site's pages keep their HTML pages."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import make_client
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def test_an_api_path_no_endpoint_matches_has_the_whole_error_shape(client):
    for path in ("/api/contracts/-1/", "/api/no-such-thing/"):
        assert_error(client.get(path), 404, "not_found")


def test_a_path_with_a_newline_under_api_answers_json(client):
    for path in ("/api/nope%0a/", "/api/jobs/1%0a/", "/api/%0d%0a"):
        assert_error(client.get(path), 404, "not_found")


def test_a_csrf_failure_under_api_answers_json():
    """Django's own CSRF check (DRF's views run their own, already JSON)."""
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(make_client())
    response = api.post("/api/no-such-endpoint/", {"a": 1}, format="json")
    assert response.status_code in (403, 404)
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] in ("csrf_failed", "not_found")


def test_a_csrf_failure_on_headless_auth_answers_json_in_its_shape():
    api = APIClient(enforce_csrf_checks=True)
    response = api.post("/_allauth/browser/v1/auth/login", {"email": "a@example.com"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "csrf_failed"


def test_pages_keep_their_html_answers():
    """The control: a page's CSRF failure and a missing page are still HTML."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_client())
    response = client.post("/organisations/", {"name": "x"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_csrf_failure_in_a_rest_view_has_the_same_code():
    """DRF's own check (a real endpoint, a session, no token) says csrf_failed too, not the role
    refusal's permission_denied; the control: with the token the same request gets through."""
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(make_client())
    assert_error(api.post("/api/organisations/", {"name": "Acme"}, format="json"), 403, "csrf_failed")
    token = _get_new_csrf_string()
    api.cookies["csrftoken"] = token
    response = api.post("/api/organisations/", {"name": "Acme"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
