"""Anything under /api/ answers in the API's one error shape, whichever layer refuses it: the route
that matches no endpoint, a path no route can match at all (a newline in it), and Django's own CSRF
check; the site's pages keep their HTML pages."""

import pytest

from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def test_an_api_path_no_endpoint_matches_has_the_whole_error_shape(client):
    for path in ("/api/contracts/-1/", "/api/no-such-thing/"):
        assert_error(client.get(path), 404, "not_found")
