"""Find work as the job search: live (htmx) answers with the facets out of band, highlighted
snippets, the engine down as a friendly page; and the saved searches' pages."""

import pytest
from django.test import Client
from django.urls import reverse

from search.backends import SearchUnavailable
from search.models import SavedSearch
from search.services.indexing import index_rebuild
from tests.factories import make_freelancer, make_job

pytestmark = pytest.mark.django_db
FIND = reverse("frontend:find_work")
SAVED = reverse("frontend:saved_searches")


def job(title: str, **fields):
    return make_job(title=title, description=f"{title}: a calendar and reminders.", **fields)


def test_a_live_update_answers_the_results_and_the_facets_out_of_band(client):
    job("Django booking page", category="web")
    job("Django data pipeline", category="data")
    index_rebuild(index="jobs")
    html = client.get(FIND, {"q": "django", "category": "web"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert "1 job matches these filters" in html
    assert "<mark>Django</mark> booking page" in html
    assert '<div id="facet-category" class="choices facet-list" hx-swap-oob="true">' in html
    assert 'id="facet-category-web" checked' in html
    assert 'id="facet-category-data">' in html  # still there to choose, with its count
    assert '<div id="save-search" hx-swap-oob="true">' in html


def test_the_engine_down_is_a_friendly_page_not_an_error(client, monkeypatch):
    def down(*args, **kwargs):
        raise SearchUnavailable("connection refused")

    monkeypatch.setattr("search.backends.database.postgres.PostgresSearchBackend.search", down)
    response = client.get(FIND, {"q": "django"})
    assert response.status_code == 200
    assert "Search is taking a break" in response.content.decode()


def test_a_freelancer_saves_a_search_then_runs_renames_silences_and_deletes_it(client):
    ada = make_freelancer()
    client.force_login(ada)
    page = client.get(FIND, {"q": "django", "budget_type": "hourly", "page": "2"}).content.decode()
    assert 'name="query" value="q=django&amp;budget_type=hourly"' in page
    response = client.post(
        reverse("frontend:saved_search_new"),
        {"name": "Django hourly", "query": "q=django&budget_type=hourly&page=2"},
    )
    assert response["Location"] == SAVED
    saved = SavedSearch.objects.get(user=ada)
    assert saved.params == {"q": "django", "budget_type": "hourly"}
    listing = client.get(SAVED).content.decode()
    assert f'href="{FIND}?q=django&amp;budget_type=hourly">Django hourly</a>' in listing
    assert "Alerts on" in listing
    client.post(reverse("frontend:saved_search_rename", args=[saved.pk]), {"name": "Hourly Django"})
    client.post(reverse("frontend:saved_search_alerts", args=[saved.pk]), {"alerts": "off"})
    saved.refresh_from_db()
    assert (saved.name, saved.alerts) == ("Hourly Django", False)
    assert "Turn alerts on" in client.get(SAVED).content.decode()
    client.force_login(make_freelancer())
    assert client.post(reverse("frontend:saved_search_remove", args=[saved.pk])).status_code == 404
    client.force_login(ada)
    client.post(reverse("frontend:saved_search_remove", args=[saved.pk]))
    assert not SavedSearch.objects.exists()
    assert "No saved searches yet" in client.get(SAVED).content.decode()


def test_anonymous_visitors_are_asked_to_log_in_to_save(client):
    html = Client().get(FIND, {"q": "django"}).content.decode()
    assert "to save this search" in html
    assert "saved/new" not in html
