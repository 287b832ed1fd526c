"""The page checks every browser test gets (tests/e2e/pagecheck.py) find what they are there to find:
a page wider than a phone, an image without a text alternative, a description that is not there."""

from playwright.sync_api import Page

from tests.e2e.pagecheck import HORIZONTAL_SCROLL, MISSING_REFERENCE, Finding, PageChecks, report, url_pattern

BREAK_THE_PAGE = """() => {
  const main = document.querySelector("main");
  const wide = document.createElement("div");
  wide.id = "too-wide";
  wide.style.width = "600px";
  wide.style.height = "1px";
  const image = document.createElement("img");
  image.id = "no-alt";
  image.src = "/static/frontend/favicon.svg";
  const described = document.createElement("input");
  described.id = "described";
  described.setAttribute("aria-describedby", "not-there");
  main.append(wide, image, described);
}"""


def test_a_page_too_wide_for_a_phone_and_an_image_without_alt_are_reported(
    page: Page, asgi_server, page_checks: PageChecks
):
    page.goto(asgi_server + "/")
    assert page_checks.check_now(page) == [], "the landing page as it is passes"

    page.evaluate(BREAK_THE_PAGE)
    found = page_checks.check_now(page)

    rules = {(finding.rule, finding.width) for finding in found}
    for width in (390, 320):
        assert {(HORIZONTAL_SCROLL, width), ("image-alt", width)} <= rules
    assert all("#too-wide" in f.target for f in found if f.rule == HORIZONTAL_SCROLL), found
    assert all("#no-alt" in f.target for f in found if f.rule == "image-alt"), found
    missing = "input#described[aria-describedby] -> #not-there"
    assert Finding(page.url, 1280, MISSING_REFERENCE, missing) in found
    assert page.viewport_size == {"width": 1280, "height": 900}, "the test's viewport is put back"
    lines = report(found).splitlines()
    assert f"  {asgi_server}/ at 320px: image-alt: #no-alt" in lines


def test_pages_are_checked_once_per_url_pattern():
    assert url_pattern("http://x/jobs/12/proposals/") == url_pattern("http://x/jobs/31/proposals/?page=2")
    assert url_pattern("http://x/accounts/confirm-email/MQ:1vXz:abc/") == "/accounts/confirm-email/<id>/"
    assert url_pattern("http://x/accounts/confirm-email/MQ%3A1vXz%3Aabc/") == "/accounts/confirm-email/<id>/"
    assert url_pattern("http://x/accounts/2fa/totp/activate/") == "/accounts/2fa/totp/activate/"
    assert url_pattern("http://x/account/payouts/") == "/account/payouts/"
