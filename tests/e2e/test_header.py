"""The header for someone with every kind of link (freelancer, client, organisation owner): one row on a
desktop, with their own pages in an account drop-down; on a phone, everything listed in the menu."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, make_organisation, make_user

OWN_PAGES = ["My profile", "Client profile", "Talent pools", "Organisations", "Settings"]


def test_one_header_row_and_an_account_menu_that_opens_and_closes(page: Page, asgi_server, artifacts_dir):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    user = make_user(freelancer=True, client=True, email="bo.both@example.com", full_name="Bo Both")
    make_organisation(owner=user, name="Acme")
    page.goto(asgi_server + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Bo", level=1)).to_be_visible()

    header = page.locator("header.site-header")
    menu = page.locator("[data-account-menu]")
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        assert header.bounding_box()["height"] < 80, f"the header wraps at {width}px"
        for name in OWN_PAGES:
            expect(header.get_by_role("link", name=name, exact=True)).to_be_hidden()

    menu.locator("summary").click()
    for name in OWN_PAGES:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu).to_contain_text("Signed in as bo.both@example.com")
    page.screenshot(path=artifacts_dir / "screenshots" / "header-account-menu-desktop.png")
    page.mouse.click(200, 500)  # elsewhere on the page
    expect(header.get_by_role("link", name="Settings", exact=True)).to_be_hidden()
    menu.locator("summary").click()
    page.keyboard.press("Escape")
    expect(header.get_by_role("link", name="Settings", exact=True)).to_be_hidden()
    expect(menu.locator("summary")).to_be_focused()
    # Tabbing past its last control closes it too.
    menu.locator("summary").click()
    page.get_by_role("button", name="Log out").focus()
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name="Settings", exact=True)).to_be_hidden()

    menu.locator("summary").click()
    header.get_by_role("link", name="Settings", exact=True).click()
    expect(page).to_have_url(asgi_server + "/account/settings/")

    # A phone: the main menu lists the account's pages with the rest, no second drop-down to open.
    page.set_viewport_size(PHONE)
    page.locator("details.nav-menu > summary").click()
    for name in ["Dashboard", "Find work", "Proposals", "My jobs", "Contracts", *OWN_PAGES]:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.screenshot(path=artifacts_dir / "screenshots" / "header-menu-phone.png", full_page=True)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(asgi_server + "/")
    expect(page.locator(".nav-list a", has_text="Log in")).to_be_attached()
    assert errors == []
