"""The find-talent page: the results (and for htmx only them, with the facets out of band), the
friendly 503 section when the engine is down, inviting from a result with its refusals, and the same
number of queries for one result as for fifty."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.jobs.models import JobInvitation
from search.backends import SearchUnavailable
from tests.factories import make_client, make_job, make_proposal
from tests.search.talent.builders import reindex, talent


def _down(*args, **kwargs):
    raise SearchUnavailable("down")


def test_page_and_htmx_part(client, db):
    talent("Anna Schmidt", headline="Django developer", skills=("Django",), rate=70)
    reindex()
    page = client.get("/talent/", {"q": "django"}).content.decode()
    assert "<mark>Django</mark> developer" in page
    assert 'id="talent-form"' in page
    part = client.get("/talent/", {"q": "django"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="talent-form"' not in part
    assert 'id="talent-facets" class="talent-facets" hx-swap-oob="true"' in part


def test_engine_down_is_a_friendly_503(client, db, monkeypatch):
    monkeypatch.setattr("search.selectors.get_search_backend", lambda: type("B", (), {"search": _down})())
    response = client.get("/talent/", {"q": "django"})
    assert response.status_code == 503
    assert "Search is taking a break" in response.content.decode()


def test_invite_from_a_result_and_its_refusals(client, db):
    owner = make_client()
    job = make_job(client=owner, title="Booking site")
    anna = talent("Anna Schmidt", headline="Django developer")
    bruno = talent("Bruno Costa", headline="Django developer")
    make_proposal(job, freelancer=bruno.user)
    client.force_login(owner)
    post = {"job": job.pk, "handle": anna.handle, "message": "Hello"}
    answer = client.post("/talent/invite/", post, HTTP_HX_REQUEST="true").content.decode()
    assert "Anna Schmidt is invited to propose on “Booking site”." in answer
    assert JobInvitation.objects.filter(job=job, freelancer=anna.user).exists()
    again = client.post("/talent/invite/", post, HTTP_HX_REQUEST="true").content.decode()
    assert "Anna Schmidt is already invited." in again
    proposed = client.post("/talent/invite/", {**post, "handle": bruno.handle}, HTTP_HX_REQUEST="true")
    assert "Bruno Costa has already sent a proposal." in proposed.content.decode()
    # someone else's job is not one to invite to, whatever its id
    client.force_login(make_client())
    refused = client.post("/talent/invite/", {**post, "handle": bruno.handle}, HTTP_HX_REQUEST="true")
    assert "No such open job of yours." in refused.content.decode()


def test_same_queries_at_one_and_fifty_results(client, db):
    owner = make_client()
    make_job(client=owner, title="Booking site")
    client.force_login(owner)
    counts, made = [], 0
    for total in (1, 50):
        for number in range(made, total):
            talent(f"Dev {number}", headline="Django developer", skills=("Django",), badges=("email",))
        made = total
        reindex()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/talent/", {"q": "django"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
