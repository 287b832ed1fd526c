"""Helpers shared by the API tests."""

import io

import PIL.Image
from rest_framework.test import APIClient

from marketplace.accounts.services.organisations import api_key_create


def files_under(folder) -> list:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    PIL.Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def as_client(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


def with_key(api: APIClient, key: str) -> APIClient:
    api.credentials(HTTP_X_API_KEY=key)
    return api


def make_api_key(organisation) -> str:
    owner = organisation.memberships.filter(role="owner").first().user
    _, secret = api_key_create(acting_user=owner, organisation=organisation, name="Integration")
    return secret


def assert_error(response, status: int, code: str) -> dict:
    """The API's one error shape: {"error": {"code", "message", "fields"}}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    assert body["error"]["code"] == code, body
    return body["error"]
