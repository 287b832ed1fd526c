"""The city picker (city-picker.js) on the two search pages: on find work a chosen city ticks "near"
and searches live; on find talent it goes in the "near" filter and searches again, and typing over
it drops the filter. Suggestions are chosen with a click and with the arrow keys. (The profile's
picker is driven in test_signup_and_profile.)"""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_hiring_story import Person
from tests.factories import make_client, make_freelancer
from tests.search.talent.builders import reindex, talent


def logged_in(browser: Browser, base: str, shots, email: str, path: str) -> tuple[Page, list[str]]:
    """A page of ``path`` for the user with ``email``, and the list its console errors go to."""
    errors: list[str] = []
    person = Person(browser, base, shots, errors)
    person.page.goto(f"{base}/dashboard/")
    person.log_in(email)
    person.page.goto(f"{base}{path}")
    return person.page, errors


def test_find_work_choosing_a_city_searches_near_it(browser: Browser, asgi_server: str, artifacts_dir):
    freelancer = make_freelancer(email="ada@example.com", full_name="Ada Lovelace")
    page, errors = logged_in(browser, asgi_server, artifacts_dir, freelancer.email, "/jobs/")
    near = page.locator('input[name="location"][value="near"]')
    expect(near).not_to_be_checked()

    box = page.get_by_label("City", exact=True)
    box.fill("Lisbo")
    page.locator(".city-option", has_text="Lisbon").first.click()
    expect(box).to_have_value("Lisbon, PT")
    expect(box).to_be_focused()
    expect(near).to_be_checked()
    expect(page).to_have_url(re.compile(r"location=near.*city=\d+|city=\d+.*location=near"))

    box.fill("Hambur")
    expect(page.locator("#city-options .city-option").first).to_be_visible()
    expect(page.locator("input[name=city]")).to_have_value("")  # typing over the choice drops it
    assert errors == [], errors


def test_find_talent_near_a_city_and_typing_over_it(browser: Browser, asgi_server: str, artifacts_dir):
    client = make_client(email="hana@example.com", full_name="Hana Berg")
    talent("Anna Schmidt", headline="Django developer", skills=("Django",), rate=75, city_name="Berlin")
    talent("Lea Braun", headline="Logo designer", skills=("Logo design",), rate=45, city_name="Hamburg")
    reindex()
    page, errors = logged_in(browser, asgi_server, artifacts_dir, client.email, "/talent/")
    results = page.locator("#talent-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("2 freelancers")

    box = page.get_by_label("Near a city")
    box.fill("Hambur")
    expect(page.locator("#talent-city-options .city-option").first).to_be_visible()
    box.press("ArrowDown")
    expect(page.locator("#talent-city-options .city-option").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_have_value(re.compile(r"^Hamburg, DE$"))
    expect(box).to_be_focused()
    heading = results.get_by_role("heading", level=2)
    expect(heading).to_have_text("1 freelancer matches within 50 km of Hamburg")
    expect(results.get_by_role("link", name="Lea Braun")).to_be_visible()
    assert re.search(r"near=\d+", page.url)

    box.press("Backspace")  # the text is no longer the chosen city: the filter goes, the search reruns
    expect(results.get_by_role("heading", level=2)).to_have_text("2 freelancers")
    expect(page.locator("[data-talent-near]")).to_have_value("")
    assert errors == [], errors
