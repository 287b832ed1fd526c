"""On a phone, with the keyboard: the menu closes on Escape and when focus leaves it, find-work's
sticky "Show jobs" bar never covers the field being typed in, skill boxes are big enough to tap, and
a form that comes back with errors says so in the title and puts focus on them."""

from playwright.sync_api import Page, expect

from search.services.indexing import index_rebuild
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, make_freelancer, make_job


def overlap(a: dict, b: dict) -> bool:
    return a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_menu_filters_and_errors_with_the_keyboard_on_a_phone(page: Page, asgi_server, artifacts_dir):
    freelancer = make_freelancer(email="kim.keys@example.com", full_name="Kim Keys")
    make_job(title="Booking page for a yoga studio")
    index_rebuild(index="jobs")
    page.set_viewport_size(PHONE)
    page.goto(asgi_server + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill(freelancer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Kim", level=1)).to_be_visible()

    menu = page.locator("details.nav-menu")
    summary = menu.locator("> summary")
    summary.click()
    expect(menu.get_by_role("link", name="Find work")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()
    summary.press("Enter")
    page.get_by_role("button", name="Log out").focus()
    page.keyboard.press("Tab")  # out of the menu: it closes rather than cover where focus went
    expect(menu).not_to_have_attribute("open", "")

    page.goto(asgi_server + "/jobs/")
    page.locator(".find-filters__toggle").click()
    bar = page.locator(".find-filters__submit")
    field = page.get_by_label("At least")
    page.evaluate("window.scrollTo(0, 0)")
    field.focus()
    assert not overlap(field.bounding_box(), bar.bounding_box()), "Show jobs covers the focused field"
    page.screenshot(path=artifacts_dir / "screenshots" / "find-work-budget-focused-phone.png")

    box = page.locator("#facet-category label.check").first.bounding_box()
    assert min(box["height"], box["width"]) >= 24, f"a facet's target is {box}"

    # A filter that cannot be used: the title says so first and focus is on the message.
    site_name = page.title().split(" · ")[-1]  # read before the click: mid-navigation the title is ""
    field.fill("500")
    page.get_by_label("At most").fill("100")
    bar.get_by_role("button", name="Show jobs").click()
    expect(page).to_have_title(f"Error: Find work · {site_name}")
    expect(page.locator("[data-error-summary]")).to_be_focused()
