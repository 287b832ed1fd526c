"""Find work in a browser: a freelancer searches, ticks a facet and watches the results and the
other facets' counts change in place (htmx, no page load), and saves the search; it is listed on
their saved searches. Screenshotted as ``job-search-*`` (desktop and phone)."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from search.models import SavedSearch
from search.services.indexing import index_rebuild
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import make_freelancer, make_job


def job(title: str, **fields):
    return make_job(title=title, description=f"{title}: we need it before the summer season.", **fields)


def test_a_freelancer_searches_filters_and_saves_the_search(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    freelancer = make_freelancer(email="ada@example.com", full_name="Ada Lovelace")
    job("Django booking site for a yoga studio", category="web", experience_level="expert")
    job(
        "Django data pipeline for a bakery chain",
        category="data",
        budget_type="hourly",
        hourly_min_minor=4_000,
        hourly_max_minor=9_000,
    )
    job("Logo for a bakery", category="design")
    index_rebuild(index="jobs")
    errors: list[str] = []
    ada = Person(browser, base, shots, errors)
    page = ada.page
    page.goto(f"{base}/dashboard/")
    ada.log_in(freelancer.email)
    page.goto(f"{base}/jobs/")
    expect(page.get_by_role("heading", name="Find work", level=1)).to_be_visible()
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("3 jobs open")

    page.get_by_label("Search jobs").fill("django")
    expect(results.get_by_role("heading", level=2)).to_have_text("2 jobs match these filters")
    expect(results.locator("mark").first).to_be_visible()
    expect(page.locator("label[for=facet-category-data] .facet__count")).to_have_text("1")
    loads = page.evaluate("performance.getEntriesByType('navigation').length")

    page.locator("label[for=facet-category-web]").click()
    expect(results.get_by_role("heading", level=2)).to_have_text("1 job matches these filters")
    expect(results.get_by_role("link", name="Django booking site for a yoga studio")).to_be_visible()
    # the other facets count with the category applied; the category keeps its other values
    expect(page.locator("label[for=facet-experience_level-expert] .facet__count")).to_have_text("1")
    expect(page.locator("label[for=facet-experience_level-intermediate]")).to_have_count(0)
    expect(page.locator("label[for=facet-category-data] .facet__count")).to_have_text("1")
    expect(page.locator("#facet-category-web")).to_be_checked()
    assert "category=web" in page.url
    assert page.evaluate("performance.getEntriesByType('navigation').length") == loads  # no page load
    ada.shot("job-search-filtered")
    phone_shot(ada, "job-search-filtered")

    page.get_by_label("Save this search").fill("Django web work")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Saved searches", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Django web work")).to_be_visible()
    saved = SavedSearch.objects.get(user=freelancer)
    assert saved.params == {"q": "django", "category": ["web"]}
    ada.shot("job-search-saved")
    phone_shot(ada, "job-search-saved")
    assert errors == []
