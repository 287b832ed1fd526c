"""Find talent in a browser: a client searches, ticks a facet and watches the results and the other
facets' counts change in place (htmx, no page load), and invites a found freelancer to their job from
the result. Screenshotted as ``talent-search-*`` (desktop and phone)."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.jobs.models import JobInvitation
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import make_client, make_job
from tests.search.talent.builders import reindex, talent


def test_a_client_searches_filters_and_invites(browser: Browser, asgi_server: str, artifacts_dir: Path):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    client = make_client(email="hana@example.com", full_name="Hana Berg")
    make_job(client=client, title="Booking site in Django")
    anna = talent(
        "Anna Schmidt",
        headline="Senior Django developer",
        bio="Ten years of Django and PostgreSQL for SaaS products in Berlin.",
        skills=("Django", "Python", "PostgreSQL"),
        rate=75,
        city_name="Berlin",
        rating="4.9",
        jss=98,
        badges=("identity", "email"),
    )
    talent(
        "Jonas Weber",
        headline="Django and React developer",
        bio="Django backends with React frontends.",
        skills=("Django", "React"),
        rate=60,
        city_name="Potsdam",
        availability="part_time",
        rating="4.5",
        jss=90,
    )
    talent("Lea Braun", headline="Logo designer", skills=("Logo design",), rate=45, city_name="Hamburg")
    reindex()
    errors: list[str] = []
    hana = Person(browser, base, shots, errors)
    page = hana.page
    page.goto(f"{base}/dashboard/")
    hana.log_in(client.email)
    page.get_by_role("link", name="Talent", exact=True).click()
    expect(page.get_by_role("heading", name="Find talent", level=1)).to_be_visible()
    results = page.locator("#talent-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("3 freelancers")

    page.get_by_label("Search freelancers").fill("django developer")
    expect(results.get_by_role("heading", level=2)).to_have_text("2 freelancers match")
    expect(results.locator("mark").first).to_be_visible()
    expect(page.locator("label[for=facet-availability-part_time] .facet-count")).to_have_text("1")
    loads = page.evaluate("performance.getEntriesByType('navigation').length")

    page.locator("label[for=facet-skills-postgresql]").click()
    expect(results.get_by_role("heading", level=2)).to_have_text("1 freelancer matches")
    expect(results.get_by_role("link", name="Anna Schmidt")).to_be_visible()
    # the other facets count with the skills filter applied: the part-timer is gone from availability
    expect(page.locator("label[for=facet-availability-part_time]")).to_have_count(0)
    expect(page.locator("label[for=facet-availability-full_time] .facet-count")).to_have_text("1")
    expect(page.locator("#facet-skills-postgresql")).to_be_checked()
    assert "skills=postgresql" in page.url
    assert page.evaluate("performance.getEntriesByType('navigation').length") == loads  # no page load
    hana.shot("talent-search-filtered")
    phone_shot(hana, "talent-search-filtered")

    result = results.get_by_role("article", name="Anna Schmidt")
    result.get_by_text("Invite to a job").click()
    result.get_by_label("Message").fill("Your Django work fits our booking site.")
    result.get_by_role("button", name="Send invitation").click()
    expect(result.get_by_role("status")).to_have_text(
        "Anna Schmidt is invited to propose on “Booking site in Django”."
    )
    assert JobInvitation.objects.filter(freelancer=anna.user, job__title="Booking site in Django").exists()
    hana.shot("talent-search-invited")

    page.reload()
    result = page.locator("#talent-results").get_by_role("article", name="Anna Schmidt")
    result.get_by_text("Invite to a job").click()
    result.get_by_role("button", name="Send invitation").click()
    expect(result.get_by_role("alert")).to_have_text("Anna Schmidt is already invited.")
    assert errors == [], errors
