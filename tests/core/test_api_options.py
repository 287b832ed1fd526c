"""``OPTIONS`` on any API endpoint answers 200 with what it renders and parses, for anyone allowed
in: the endpoints validate with serializers named per method, so DRF's default metadata (which asks
the view for one ``serializer_class``) failed its assertion with a 500 on every write endpoint."""

import re

import pytest
import yaml

from tests.factories import make_client
from tests.support.api import as_user
from tests.support.processes import REPO_ROOT

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((REPO_ROOT / "docs" / "api" / "openapi.yaml").read_text())
WRITES = {"post", "put", "patch", "delete"}
WRITE_PATHS = sorted(path for path, operations in SCHEMA["paths"].items() if WRITES & set(operations))


def test_options_on_every_write_endpoint_never_fails():
    api = as_user(make_client())
    api.raise_request_exception = False
    statuses = {}
    for path in WRITE_PATHS:
        statuses[path] = api.options(re.sub(r"\{[^}]+\}", "1", path)).status_code
    assert {path: status for path, status in statuses.items() if status >= 500} == {}
    assert statuses["/api/organisations/"] == 200


def test_options_describes_the_media_types_and_points_at_the_schema():
    api = as_user(make_client())
    body = api.options("/api/organisations/").json()
    assert body["name"]
    assert "application/json" in body["renders"]
    assert "application/json" in body["parses"]
    assert "actions" not in body
