"""Browser tests: Debian's Chromium driven by Playwright against the real ASGI server.

Every page a test is shown is also checked at phone widths for sideways scrolling and by axe-core
(``tests/e2e/pagecheck.py``); what those checks find fails the test at teardown.

They run in their own pytest invocation (see the Makefile): sync Playwright runs an event loop in
the test thread, so Django's async-safety guard is lifted for the ORM calls these tests make.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.pagecheck import PageChecks, report
from tests.support.processes import (
    VENV_BIN,
    env_on_test_database,
    free_port,
    log_name,
    running,
    wait_for_http,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def page_checks() -> PageChecks:
    """PAGE_CHECK_SCREENSHOTS=1: a screenshot of every page checked, at 390 and 320 px, in
    artifacts/screenshots/pages/ (named by URL pattern and width)."""
    shots = None
    if os.environ.get("PAGE_CHECK_SCREENSHOTS"):
        shots = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "pages"
        shots.mkdir(parents=True, exist_ok=True)
    return PageChecks(shots)


@pytest.fixture(scope="session")
def browser(page_checks: PageChecks) -> Iterator[Browser]:
    """Chromium; every context opened on it has its pages checked (``page_checks``)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = browser.new_context
        browser.new_context = lambda *args, **kwargs: page_checks.watch(new_context(*args, **kwargs))
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def checked_pages(page_checks: PageChecks) -> Iterator[None]:
    """Fails the test, at teardown, with what the page checks found on the pages it visited."""
    page_checks.findings.clear()
    yield
    for open_page in page_checks.pages:
        if not open_page.is_closed():
            page_checks.flush(open_page)
    page_checks.pages.clear()
    findings, page_checks.findings = page_checks.findings, []
    if findings:
        pytest.fail(report(findings), pytrace=False)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def asgi_server(transactional_db, settings, artifacts_dir) -> Iterator[str]:
    """The project's ASGI app under uvicorn, on the test database; yields its base URL.

    ``transactional_db``: rows a test creates are committed, so the server process sees them.
    """
    port = free_port()
    env = env_on_test_database(settings)
    log = artifacts_dir / "logs" / log_name("e2e-asgi")
    command = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
    with running(command, env=env, log=log) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", proc=proc, log=log)
        yield base
