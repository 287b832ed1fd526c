"""The REST API tests' one client helper: a client logged in as someone (or with an organisation's
API key), and the API's one error shape."""

from rest_framework.test import APIClient

from marketplace.organisations.services.organisations import api_key_create


def as_user(user, api: APIClient | None = None) -> APIClient:
    """``api`` (a fresh client when None) logged in as ``user`` (None: anonymous)."""
    api = api or APIClient()
    if user is not None:
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


class ListScenario:
    """A list endpoint as seen by ``viewer`` (or an API key of ``key_for``); ``grow(n)`` brings it to n
    rows through the subclass's ``add(index)``. For query-count tests at 1 and at 50 rows."""

    viewer = None
    key_for = None

    def __init__(self):
        self.rows = 0

    def grow(self, n: int) -> None:
        while self.rows < n:
            self.add(self.rows)
            self.rows += 1

    def client(self):
        api = as_user(self.viewer)
        return with_key(api, make_api_key(self.key_for)) if self.key_for else api

    def count(self, body) -> int:
        return len(body["results"])
