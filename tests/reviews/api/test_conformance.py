"""schemathesis over the reviews endpoints of the committed OpenAPI document, through the real Django
application, against objects that exist: every path's id is a real one (an ended contract waiting for
reviews, a published review, an open report of it; a freelancer's handle), asked by nobody, the
freelancer, the client and staff. No answer may be a server error, and each must match the document
(status, content type, headers, body). The whole document's run is tests/checks/test_api_conformance.py,
whose fixtures (random ids, an organisation with one job) meet these endpoints only as 403s and 404s."""

import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings

from reviews.services import review_report
from tests.checks.test_api_conformance import CHECKS, EXAMPLES, _keep_the_test_connection  # noqa: F401
from tests.factories import make_organisation, make_user
from tests.reviews.world import ended_contract, published_pair
from tests.support.processes import REPO_ROOT

REVIEWS_PATHS = r"^/api/(reviews/|contracts/\{id\}/reviews/|freelancers/|staff/review-reports/)"

schema = schemathesis.openapi.from_path(REPO_ROOT / "docs" / "api" / "openapi.yaml").include(
    path_regex=REVIEWS_PATHS
)
schema.app = WSGIHandler()


def _session(user) -> dict:
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


@pytest.fixture
def world(db) -> dict:
    """The callers, and the real object each path's parameter names."""
    organisation = make_organisation()
    reviewed = ended_contract(organisation=organisation)
    review, _ = published_pair(reviewed)
    report = review_report(acting_user=reviewed.freelancer, review=review, reason="other")
    waiting = ended_contract(organisation=organisation, freelancer=reviewed.freelancer)
    return {
        "callers": {
            "anonymous": {},
            "freelancer": _session(reviewed.freelancer),
            "client": _session(reviewed.client),
            "staff": _session(make_user(staff=True)),
        },
        "ids": {
            r"^/api/contracts/": waiting.pk,
            r"^/api/reviews/\{id\}/": review.pk,
            r"^/api/staff/review-reports/\{id\}/": report.pk,
        },
        "handle": reviewed.freelancer.freelancer_profile.handle,
    }


def _real_ids(case, world) -> None:
    parameters = case.path_parameters or {}
    if "handle" in parameters:
        parameters["handle"] = world["handle"]
    if "id" in parameters:
        parameters["id"] = next(pk for path, pk in world["ids"].items() if re.match(path, case.path))


def test_the_reviews_endpoints_are_all_here():
    """The control: the filter picked every reviews operation of the document."""
    operations = sorted((op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations())
    assert operations == [
        ("GET", "/api/contracts/{id}/reviews/"),
        ("GET", "/api/freelancers/{handle}/reviews/"),
        ("GET", "/api/reviews/waiting/"),
        ("GET", "/api/staff/review-reports/"),
        ("POST", "/api/contracts/{id}/reviews/"),
        ("POST", "/api/reviews/{id}/reply/"),
        ("POST", "/api/reviews/{id}/reports/"),
        ("POST", "/api/staff/review-reports/{id}/dismiss/"),
        ("POST", "/api/staff/review-reports/{id}/remove/"),
    ]


@pytest.mark.parametrize("caller", ["anonymous", "freelancer", "client", "staff"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_reviews_api_answers_as_its_schema_says(case, caller, world):
    _real_ids(case, world)
    case.call_and_validate(checks=CHECKS, **world["callers"][caller])
