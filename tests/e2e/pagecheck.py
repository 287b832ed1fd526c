"""Every page a browser test is shown gets checked at phone widths, without the test asking.

At 390 and 320 px wide a page must not scroll sideways (WCAG 1.4.10 Reflow) and axe-core must find
no violation of the WCAG 2.2 AA rule sets. The check runs on the test's own page, in place, the first
time a document with a new URL pattern has loaded (``/jobs/12/`` and ``/jobs/31/`` are one pattern;
the page a POST answers with, a form shown again with its errors, is a pattern of its own): before the
test's next call on the page, the viewport is narrowed, checked and put back. Nothing is fetched
again, so no form is resubmitted and no one-time link is spent. What it finds fails the test at
teardown, one line per page, width, rule and element.

axe-core comes from the ``axe-playwright-python`` package (its bundled ``axe.min.js``, MPL-2.0): no
network at test time.
"""

import functools
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Error, Page

WIDTHS = (390, 320)
PHONE_HEIGHT = 844
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

# Pages not checked at all, each with its reason.
EXCLUDED = {
    # Swagger UI as its project ships it: third-party markup and styles we do not maintain.
    "/api/docs/": "third-party API documentation UI",
}
# Known failures being fixed: (URL pattern or "*" for every page, rule id) -> why it is still here.
KNOWN: dict[tuple[str, str], str] = {}

UNCHECKED_CALLS = {"on", "once", "is_closed"}
HORIZONTAL_SCROLL = "horizontal-scroll"
# The outermost elements that stick out past the right edge, as short selectors.
OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const edge = root.clientWidth + 0.5;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "")
    + [...el.classList].map((c) => `.${c}`).join("");
  const out = [...document.body.querySelectorAll("*")].filter((el) =>
    el.getBoundingClientRect().right > edge
    && !(el.parentElement && el.parentElement.getBoundingClientRect().right > edge));
  return `${root.scrollWidth}px wide: ` + (out.slice(0, 3).map(name).join(", ") || "body");
}"""
# aria-describedby / aria-labelledby naming an id the page does not have: axe only asks for a review
# of these, and the help text or error they should read out is silently lost.
MISSING_REFERENCE = "aria-reference-missing"
MISSING_REFERENCE_SCRIPT = """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")]
  .flatMap((el) => ["aria-describedby", "aria-labelledby"].flatMap((attr) =>
    (el.getAttribute(attr) || "").split(/\\s+/).filter((id) => id && !document.getElementById(id))
      .map((id) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}[${attr}] -> #${id}`)))"""
# Navigating away mid-check: the page moved on, that document is no longer there to check.
GONE = re.compile(r"Execution context was destroyed|navigat|Target .*closed|has been closed", re.IGNORECASE)
# A number, or a long segment with a digit in it (a key, a token, a slug-id); not "2fa".
ID_SEGMENT = re.compile(r"^(?=.*\d)(\d+|[\w:.%-]{8,})$")


@dataclass(frozen=True)
class Finding:
    url: str
    width: int
    rule: str
    target: str

    def __str__(self) -> str:
        return f"{self.url} at {self.width}px: {self.rule}: {self.target}"


def url_pattern(url: str) -> str:
    path = urlsplit(url).path
    return "/".join("<id>" if ID_SEGMENT.match(part) else part for part in path.split("/"))


def report(findings: list[Finding]) -> str:
    lines = [f"{len(findings)} accessibility / reflow finding(s) on pages this test visited:"]
    return "\n  ".join([*lines, *map(str, findings)])


class PageChecks:
    """The browser session's checks: which URL patterns were checked, what the running test found."""

    def __init__(self, shots: Path | None = None) -> None:
        """``shots``: a folder for a screenshot of each page checked, at each width (or none)."""
        self.shots = shots
        self.checked: set[tuple[str, str]] = set()
        self.findings: list[Finding] = []
        self.pages: list[Page] = []

    def watch(self, context: BrowserContext) -> BrowserContext:
        """Check the pages of this context; closing it checks the last documents first."""
        context.on("page", self._attach)  # pages it opens itself (pop-ups)
        close, new_page = context.close, context.new_page

        @functools.wraps(new_page)
        def checked_new_page(*args, **kwargs):
            page = new_page(*args, **kwargs)
            self._attach(page)
            return page

        @functools.wraps(close)
        def checked_close(*args, **kwargs):
            for page in context.pages:
                self.flush(page)
            return close(*args, **kwargs)

        context.close, context.new_page = checked_close, checked_new_page
        return context

    def _attach(self, page: Page) -> None:
        if page in self.pages:
            return
        page._loaded = None  # (url, method) of a document loaded and not yet checked
        page._method = "GET"
        page.on("request", lambda request: self._on_request(page, request))
        page.on("load", lambda _: setattr(page, "_loaded", (page.url, page._method)))
        # Before any call on the page, the document that has just loaded is checked.
        for name, member in vars(Page).items():
            if inspect.isfunction(member) and not name.startswith("_") and name not in UNCHECKED_CALLS:
                setattr(page, name, self._before(page, getattr(page, name)))
        self.pages.append(page)

    @staticmethod
    def _on_request(page: Page, request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            page._method = request.method

    def _before(self, page: Page, method):
        @functools.wraps(method)
        def call(*args, **kwargs):
            self.flush(page)
            return method(*args, **kwargs)

        return call

    def flush(self, page: Page) -> None:
        """Check the page's newly loaded document, once per URL pattern and method."""
        loaded, page._loaded = page._loaded, None
        if loaded is None or page.is_closed() or page.url != loaded[0]:
            return
        url, method = loaded
        key = (url_pattern(url), "GET" if method == "GET" else "POST")
        if key in self.checked or urlsplit(url).path in EXCLUDED:
            return
        try:
            found = self.check_now(page)
        except Error as error:
            if GONE.search(str(error)):
                return
            raise
        self.checked.add(key)
        self.findings += [f for f in found if not {(key[0], f.rule), ("*", f.rule)} & KNOWN.keys()]

    def check_now(self, page: Page) -> list[Finding]:
        """What the page shows now, at each width; the viewport is put back after."""
        viewport = page.viewport_size
        findings: list[Finding] = []
        try:
            missing = Page.evaluate(page, MISSING_REFERENCE_SCRIPT)
            findings += [Finding(page.url, viewport["width"], MISSING_REFERENCE, ref) for ref in missing]
            for width in WIDTHS:
                Page.set_viewport_size(page, {"width": width, "height": PHONE_HEIGHT})
                overflow = Page.evaluate(page, OVERFLOW_SCRIPT)
                if overflow:
                    findings.append(Finding(page.url, width, HORIZONTAL_SCROLL, overflow))
                findings += [Finding(page.url, width, *v) for v in self._axe(page)]
                if self.shots:
                    name = re.sub(r"[^\w-]+", "-", url_pattern(page.url)).strip("-") or "home"
                    Page.screenshot(page, path=self.shots / f"{name}-{width}.png", full_page=True)
        finally:
            if viewport and not page.is_closed():
                Page.set_viewport_size(page, viewport)
        return findings

    @staticmethod
    def _axe(page: Page) -> list[tuple[str, str]]:
        for frame in page.frames:  # axe asks each frame's own copy about that frame's content
            if not frame.evaluate("typeof window.axe === 'object'"):
                frame.evaluate(AXE_SCRIPT)
        results = Page.evaluate(page, "(options) => axe.run(document, options)", AXE_OPTIONS)
        return [
            (violation["id"], " ".join(">>".join(node["target"]) for node in violation["nodes"][:5]))
            for violation in results["violations"]
        ]
