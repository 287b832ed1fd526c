from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, make_user


def test_staff_log_in_and_see_the_operations_page_without_policy_violations(
    page: Page, asgi_server, artifacts_dir
):
    staff = make_user(staff=True, is_superuser=True, email="ops@example.com")
    shots = artifacts_dir / "screenshots"
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(asgi_server + "/ops/")
    expect(page).to_have_url(f"{asgi_server}/admin/login/?next=/ops/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{asgi_server}/ops/")
    expect(page.get_by_role("heading", name="Operations", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("postgresql")
    expect(page.locator("main")).to_contain_text("No heartbeat yet")
    expect(page.get_by_role("link", name="Operations")).to_have_attribute("aria-current", "page")
    page.screenshot(path=shots / "ops-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "horizontal scroll on a phone"
    )
    page.screenshot(path=shots / "ops-phone.png", full_page=True)

    page.goto(asgi_server + "/admin/")
    expect(page.get_by_role("link", name="Heartbeats")).to_be_visible()

    assert errors == []
