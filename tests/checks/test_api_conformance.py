"""schemathesis over the whole committed OpenAPI document (docs/api/openapi.yaml), through the real
Django application (WSGI, in process, on the test database), as three callers: anonymous, an
organisation owner's session (with its CSRF token) and the organisation's API key. Every answer must
not be a server error and must match the document: status code, content type, headers and body.

Bounded for CI: ``API_CONFORMANCE_EXAMPLES`` fuzzed examples per operation and caller (default 4), on
top of schemathesis' explicit and coverage cases; about 2 min 10 s for the three callers on a
shared 2-core machine. A longer run: ``make api-conformance`` (README).

Checks run, and the ones left out, each with its reason:
- run: ``not_a_server_error``, ``status_code_conformance``, ``content_type_conformance``,
  ``response_headers_conformance``, ``response_schema_conformance``.
- ``negative_data_rejection`` / ``positive_data_acceptance``: the document describes shapes, the
  services enforce rules on top (a title of 5 to 120 characters in a 200-character field, a skill id
  that exists, a state that allows the move), so schema-valid input is often rightly refused (400,
  403, 409) and the refusal is itself documented; the status check above already holds every answer
  to the documented ones.
- ``missing_required_header``, ``unsupported_method``, ``allow_header_conformance``: DRF answers an
  undocumented method 405 (JSON, our error shape) and sends ``Allow`` with the methods the view has,
  not only the documented ones (``OPTIONS`` is served but not documented).
- ``ignored_auth``, ``use_after_free``, ``ensure_resource_availability``, ``object_level_authorization``:
  stateful checks that need links between operations, which this document does not declare; who may
  see what is covered by the permission and visibility tests.
- ``max_response_time``: timing on a shared 2-core machine is noise; the benchmarks measure it.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_job, make_organisation
from tests.support.api import make_api_key
from tests.support.processes import REPO_ROOT

EXAMPLES = int(os.environ.get("API_CONFORMANCE_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_path(REPO_ROOT / "docs" / "api" / "openapi.yaml")
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's handler closes the database connection after each request; the test's transaction
    lives on it. Django's own test client disconnects the same receivers while it runs a request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(db) -> dict:
    """How each caller calls (``case.call`` keyword arguments), over an organisation with an owner and a
    published job. Cookies go as cookies: the WSGI client replaces a ``Cookie`` header with its jar."""
    organisation = make_organisation()
    owner = organisation.memberships.get(role="owner").user
    make_job(client=owner, organisation=organisation)
    client = Client()
    client.force_login(owner)
    csrf = _get_new_csrf_string()
    session = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return {
        "anonymous": {},
        "owner": {"cookies": session, "headers": {"X-CSRFToken": csrf}},
        "api_key": {"headers": {"X-Api-Key": make_api_key(organisation)}},
    }


@pytest.mark.parametrize("caller", ["anonymous", "owner", "api_key"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_as_its_schema_says(case, caller, callers):
    case.call_and_validate(checks=CHECKS, **callers[caller])


@pytest.mark.parametrize(
    ("caller", "method", "path"),
    [
        ("owner", "GET", "/api/me/"),
        ("owner", "GET", "/api/organisations/"),
        ("api_key", "GET", "/api/organisations/"),
    ],
)
def test_the_callers_are_who_they_say(callers, caller, method, path):
    """The control: each caller's credentials get through (else every answer would be a 403)."""
    response = schema[path][method].Case().call(**callers[caller])
    assert response.status_code == 200, response.text
    assert response.json()


def test_the_owners_session_may_write(callers):
    """The control for writes: the session's CSRF token is accepted."""
    case = schema["/api/organisations/"]["POST"].Case(
        body={"name": "Conformance Ltd"}, media_type="application/json"
    )
    response = case.call(**callers["owner"])
    assert response.status_code == 201, response.text
