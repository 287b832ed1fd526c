from playwright.sync_api import Page, expect


def test_interactive_api_docs_render_from_our_own_static_files(page: Page, asgi_server, artifacts_dir):
    """Swagger UI comes from the sidecar package, so it works under our CSP with no CDN."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on(
        "request",
        lambda request: None if request.url.startswith(asgi_server) else outside.append(request.url),
    )

    page.goto(asgi_server + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("API")
    # Every tag is drawn (folded); the first and the last open to their operations.
    tags = page.locator(".opblock-tag")
    expect(tags.filter(has_text="support")).to_be_visible()
    for tag, path in (("jobs", "/api/jobs/{id}/"), ("organisations", "/api/organisations/{slug}/members/")):
        tags.filter(has_text=tag).first.click()
        expect(page.locator(".opblock-summary-path", has_text=path).first).to_be_visible()
    page.screenshot(path=artifacts_dir / "screenshots" / "api-docs.png")

    assert errors == []
    assert outside == []
