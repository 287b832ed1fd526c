from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE


def test_the_landing_page_renders_in_chromium_on_desktop_and_phone(page: Page, asgi_server, artifacts_dir):
    shots = artifacts_dir / "screenshots"
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(asgi_server + "/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main#main")).to_contain_text("escrow")
    page.screenshot(path=shots / "landing-desktop.png", full_page=True)

    # Keyboard users reach the skip link first, and it leads to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", "#main")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "horizontal scroll on a phone"
    )
    page.screenshot(path=shots / "landing-phone.png", full_page=True)

    assert errors == []
