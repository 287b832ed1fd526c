"""The embedded default gzips the static files it serves itself, and only those (pages carry CSRF
tokens: see core/static_gzip.py)."""

import gzip

import pytest
from django.test import Client

from marketplace.core.static_gzip import StaticGZipMiddleware

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.fixture
def embedded_client(settings) -> Client:
    """The test profile's middleware with the embedded default's addition in the same place."""
    at = settings.MIDDLEWARE.index(WHITENOISE)
    name = f"{StaticGZipMiddleware.__module__}.{StaticGZipMiddleware.__name__}"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], name, *settings.MIDDLEWARE[at:]]
    return Client()


def _css(client: Client, **headers):
    response = client.get("/static/frontend/site.css", headers=headers)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_a_stylesheet_is_gzipped_for_a_browser_that_accepts_it(embedded_client):
    plain_response, plain = _css(embedded_client)
    response, body = _css(embedded_client, accept_encoding="gzip, deflate, br")
    assert "content-encoding" not in plain_response.headers  # positive control: the same file, as is
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) / 2


@pytest.mark.django_db
def test_pages_are_not_compressed(embedded_client):
    response = embedded_client.get("/accounts/login/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "content-encoding" not in response.headers


def test_a_range_request_gets_its_slice_uncompressed(embedded_client):
    response = embedded_client.get(
        "/static/frontend/site.css", headers={"accept-encoding": "gzip", "range": "bytes=0-99"}
    )
    assert response.status_code == 206
    assert "content-encoding" not in response.headers
    assert len(b"".join(response.streaming_content)) == 100
