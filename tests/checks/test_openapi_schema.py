"""The committed OpenAPI document (docs/api/openapi.yaml) is what the code generates, and it validates.

Regenerate it after changing the API:
    .venv/bin/python manage.py spectacular --file docs/api/openapi.yaml --validate --fail-on-warn
(the document does not depend on the settings profile: embedded and test give the same bytes).
"""

import pytest
import yaml
from django.core.management import call_command

from tests.support.processes import REPO_ROOT

COMMITTED = REPO_ROOT / "docs" / "api" / "openapi.yaml"
REGENERATE = ".venv/bin/python manage.py spectacular --file docs/api/openapi.yaml --validate --fail-on-warn"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    # --validate checks against the OpenAPI 3 JSON Schema; --fail-on-warn refuses unresolved types.
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    return out.read_text()


def test_the_committed_schema_is_what_the_code_generates(generated):
    assert COMMITTED.read_text() == generated, f"docs/api/openapi.yaml is stale; regenerate it: {REGENERATE}"


def test_the_schema_documents_every_endpoint_with_errors_and_both_kinds_of_auth(generated):
    schema = yaml.safe_load(generated)
    assert schema["openapi"].startswith("3.")
    schemes = schema["components"]["securitySchemes"]
    assert schemes["organisationApiKey"] == {
        **schemes["organisationApiKey"],
        "type": "apiKey",
        "name": "X-Api-Key",
    }
    assert "cookieAuth" in schemes
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/")
        for method, operation in operations.items():
            assert operation.get("description"), (method, path)
            errors = {status for status in operation["responses"] if status.startswith("4")}
            assert errors, (method, path)
            for status in errors:
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, status)
    key_readable = {
        path
        for path, ops in schema["paths"].items()
        if {"organisationApiKey": []} in ops.get("get", {}).get("security", [])
    }
    assert key_readable == {
        "/api/organisations/",
        "/api/organisations/{slug}/",
        "/api/organisations/{slug}/members/",
        "/api/organisations/{slug}/invitations/",
        "/api/organisations/{slug}/pool/",
        # Pool settings (organisations/api/views/pool_settings.py): read by the organisation's key.
        "/api/organisations/{slug}/pools/",
        "/api/organisations/{slug}/pools/{pool_id}/",
        "/api/organisations/{slug}/pools/{pool_id}/tiers/",
        "/api/organisations/{slug}/pools/{pool_id}/requirements/",
        # A pool's member list and one member's file (never credentials nor evidence for a key).
        "/api/organisations/{slug}/pools/{pool_id}/members/",
        "/api/organisations/{slug}/pools/{pool_id}/members/{membership_id}/",
        # The organisation's statement (marketplace/statements/api): its key reads it, as its owners do.
        "/api/organisations/{slug}/statements/",
        # What anonymous visitors read: reference data and public jobs.
        "/api/skills/",
        "/api/cities/",
        "/api/jobs/",
        "/api/search/jobs/",
        # An organisation's own jobs and what hangs off them (marketplace/jobs/api/base.py).
        "/api/jobs/mine/",
        "/api/jobs/{id}/",
        "/api/jobs/{id}/proposals/",
        "/api/jobs/{id}/invitations/",
        "/api/proposals/{id}/",
        "/api/attachments/{id}/file/",
        "/api/offers/",
        "/api/offers/{id}/",
        "/api/contracts/",
        "/api/contracts/{id}/",
        "/api/contracts/{id}/milestones/",
        "/api/contracts/{id}/milestones/{mid}/",
        "/api/contracts/{id}/ledger/",
        # Hourly contracts' time and weeks (marketplace/hourly/api/).
        "/api/contracts/{id}/time-entries/",
        "/api/contracts/{id}/time-entries/{eid}/",
        "/api/contracts/{id}/timer/",
        "/api/contracts/{id}/timesheets/",
        "/api/timesheets/{id}/",
        "/api/disputes/",
        "/api/disputes/{id}/",
        "/api/job-templates/",
        "/api/job-templates/{id}/",
    }


def test_the_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert (
        yaml.safe_load(response.content)["paths"].keys()
        == yaml.safe_load(COMMITTED.read_text())["paths"].keys()
    )


def test_every_operation_documents_the_rate_limit_and_every_paged_list_its_404(generated):
    """Any request may be throttled (429 ``throttled``); a ``page`` past the last is 404 ``not_found``;
    a body may not parse (400) or come in a media type the operation does not take (415)."""
    schema = yaml.safe_load(generated)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            throttled = operation["responses"].get("429")
            assert throttled, (method, path)
            assert throttled["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
            assert "Retry-After" in throttled["headers"]
            if any(p["name"] == "page" for p in operation.get("parameters", [])):
                assert "404" in operation["responses"], (method, path)
            if "requestBody" in operation:  # a body that does not parse, or in another media type
                assert {"400", "415"} <= set(operation["responses"]), (method, path)


def test_an_optional_url_in_an_answer_is_documented_as_possibly_empty(generated):
    """Organisations' websites and portfolio links may be "" (not given), which ``format: uri`` refuses."""
    schema = yaml.safe_load(generated)
    bare = {
        (name, prop)
        for name, component in schema["components"]["schemas"].items()
        for prop, spec in (component.get("properties") or {}).items()
        if spec.get("format") == "uri" and not spec.get("nullable")
    }
    assert bare == set()
