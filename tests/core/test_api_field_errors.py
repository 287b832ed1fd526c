"""Every field error the API answers is ``{code, message}`` under a field name, also for errors inside
a list or an object: those were passed on as DRF nested them (``{"skills": [{"0": [...]}]}``), with no
``code`` where the schema promises one. A nested error's name is its path, dotted: ``skills.1``."""

import pytest

from tests.factories import JOB_FIELDS, make_client
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


def _assert_flat(fields: dict) -> None:
    for name, errors in fields.items():
        assert isinstance(name, str)
        assert isinstance(errors, list), (name, errors)
        assert errors, name
        for error in errors:
            assert set(error) == {"code", "message"}, (name, error)
            assert isinstance(error["code"], str)
            assert isinstance(error["message"], str)


def test_an_error_inside_a_list_has_a_code_under_its_dotted_path():
    api = as_user(make_client())
    response = api.post("/api/jobs/", {**JOB_FIELDS, "skills": [1, "not a number", 0]}, format="json")
    error = assert_error(response, 400, "invalid")
    _assert_flat(error["fields"])
    assert {name: [e["code"] for e in errors] for name, errors in error["fields"].items()} == {
        "skills.1": ["invalid"],
        "skills.2": ["min_value"],
    }


def test_top_level_field_errors_are_unchanged():
    api = as_user(make_client())
    response = api.post("/api/jobs/", {**JOB_FIELDS, "category": "nope"}, format="json")
    error = assert_error(response, 400, "invalid")
    assert error["fields"] == {
        "category": [{"code": "invalid_choice", "message": '"nope" is not a valid choice.'}]
    }
