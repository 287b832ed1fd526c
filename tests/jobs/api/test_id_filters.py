"""An id in a list filter past what the database's integer column holds is refused by the form, before
any query: SQLite raised OverflowError (a 500) binding ``?skills=99999999999999999999``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import Skill
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_a_skill_id_past_the_column_range_is_a_400_with_a_code_and_never_reaches_the_database():
    api = as_user(None)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/jobs/?skills={HUGE}")
    error = assert_error(response, 400, "invalid")
    assert [e["code"] for e in error["fields"]["skills"]] == ["out_of_range"]
    assert not [q["sql"] for q in queries.captured_queries if HUGE in q["sql"]]


def test_find_work_page_refuses_an_unknown_skill_and_never_queries_with_it(client):
    """The job search takes skill slugs (the index's facet values), checked against the taxonomy."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/jobs/?skills={HUGE}")
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if HUGE in q["sql"]]
    assert f"No skill is called {HUGE}." in response.content.decode()
    skill = Skill.objects.order_by("pk").first()
    assert as_user(None).get(f"/api/jobs/?skills={skill.pk}").status_code == 200
