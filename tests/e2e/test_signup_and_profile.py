"""A freelancer's first visit, in a real browser against the real ASGI server: sign up, confirm the
address from the emailed link, log in, fill in the profile with a photo, and see the public profile.

The server writes its emails to files here (the test profile keeps them in memory, out of the test's
reach), through a settings module generated for this test on top of the test profile.
"""

import re
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import PIL.Image
import PIL.ImageDraw
import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Browser, Page, expect

from marketplace.accounts.models import FreelancerProfile, User
from tests.e2e.conftest import DESKTOP, PHONE
from tests.support.processes import (
    VENV_BIN,
    env_on_test_database,
    free_port,
    log_name,
    running,
    wait_for_http,
    wait_until,
)

EMAIL = "maria.santos@example.com"
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def mail_server(transactional_db, settings, artifacts_dir, tmp_path) -> Iterator[tuple[str, Path]]:
    """The ASGI server on the test database, sending email to files; yields (base URL, outbox)."""
    outbox = tmp_path / "outbox"
    media = tmp_path / "media"
    outbox.mkdir()
    media.mkdir()
    settings.MEDIA_ROOT = media
    module_dir = tmp_path / "settings_module"
    module_dir.mkdir()
    (module_dir / "e2e_signup_settings.py").write_text(
        textwrap.dedent(
            f"""\
            from marketplace.config.settings.test import *  # noqa: F403

            EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
            EMAIL_FILE_PATH = {str(outbox)!r}
            MEDIA_ROOT = {str(media)!r}
            # Renditions are made in the server process right after the upload commits.
            CELERY_TASK_ALWAYS_EAGER = True
            """
        )
    )
    env = env_on_test_database(settings)
    env["DJANGO_SETTINGS_MODULE"] = "e2e_signup_settings"
    env["PYTHONPATH"] = f"{module_dir}:{env.get('PYTHONPATH', '')}".rstrip(":")
    port = free_port()
    log = artifacts_dir / "logs" / log_name("e2e-signup-asgi")
    command = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
    with running(command, env=env, log=log) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", proc=proc, log=log)
        yield base, outbox


def _photo(path: Path) -> Path:
    """A small portrait-like JPEG: a tinted background with a face-ish disc."""
    image = PIL.Image.new("RGB", (640, 480), (214, 234, 230))
    draw = PIL.ImageDraw.Draw(image)
    draw.ellipse((220, 90, 420, 290), fill=(236, 188, 150))
    draw.rectangle((170, 300, 470, 480), fill=(11, 107, 97))
    image.save(path, "JPEG", quality=88)
    return path


def _confirmation_link(outbox: Path) -> str:
    def read() -> str | None:
        for message in sorted(outbox.glob("*.log")):
            match = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", message.read_text())
            if match:
                return match.group(0)
        return None

    return wait_until(read, timeout=20, message=lambda: f"no confirmation email in {list(outbox.iterdir())}")


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"horizontal scroll on {page.url}: {width}px"


def test_sign_up_verify_log_in_add_a_photo_and_see_the_public_profile(
    browser: Browser, mail_server, artifacts_dir, tmp_path
):
    base, outbox = mail_server
    shots = artifacts_dir / "screenshots"
    errors: list[str] = []

    def watch(page: Page) -> Page:
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    context = browser.new_context(viewport=DESKTOP)
    page = watch(context.new_page())

    # 1. Sign up as a freelancer.
    page.goto(base + "/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account", level=1)).to_be_visible()
    expect(page.get_by_label("Work as a freelancer")).to_be_checked()
    page.screenshot(path=shots / "signup-desktop.png", full_page=True)
    page.get_by_label("Full name").fill("Maria Santos")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I accept the terms of service").check()
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    page.screenshot(path=shots / "signup-verification-sent-desktop.png", full_page=True)
    user = User.objects.get(email=EMAIL)
    assert user.is_freelancer
    assert not user.is_client

    # 2. Open the emailed link, as from a mail program: a browser without the sign-up's session.
    link = _confirmation_link(outbox)
    assert link.startswith(base)
    mail_context = browser.new_context(viewport=DESKTOP)
    mail_page = watch(mail_context.new_page())
    mail_page.goto(link)
    expect(mail_page.get_by_role("heading", name="Confirm your email address", level=1)).to_be_visible()
    expect(mail_page.locator("main")).to_contain_text(EMAIL)
    mail_page.screenshot(path=shots / "signup-confirm-email-desktop.png", full_page=True)
    mail_page.get_by_role("button", name="Confirm my email address").click()

    # 3. Log in.
    expect(mail_page.get_by_role("heading", name="Log in", level=1)).to_be_visible()
    mail_page.screenshot(path=shots / "login-desktop.png", full_page=True)
    mail_page.get_by_label("Email").fill(EMAIL)
    mail_page.get_by_label("Password").fill(PASSWORD)
    mail_page.get_by_role("button", name="Log in").click()
    expect(mail_page).to_have_url(base + "/dashboard/")
    expect(mail_page.get_by_role("heading", name="Welcome, Maria", level=1)).to_be_visible()
    expect(mail_page.locator("main")).to_contain_text("Email verified")
    mail_page.screenshot(path=shots / "dashboard-desktop.png", full_page=True)
    page, context = mail_page, mail_context

    # 4. Fill in the profile.
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", name="Edit your profile", level=1)).to_be_visible()
    page.get_by_label("Headline").fill("Field technician: POS and network installs")
    bio = "Ten years of **retail installs** across Portugal.\n\n- POS\n- Cabling"
    page.get_by_label("Bio").fill(bio)
    page.locator("summary", has_text="Field services").click()
    page.get_by_label("POS installation").check()
    page.get_by_label("Network cabling").check()
    page.get_by_label("Tags").fill("weekend work, own van")
    page.get_by_label("Hourly rate").fill("42.50")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("City").fill("Lisbo")
    page.locator(".city-option", has_text="Lisbon").first.click()
    expect(page.get_by_label("City")).to_have_value(re.compile(r"^Lisbon, PT$"))
    page.get_by_label("Filter languages").fill("portu")
    page.get_by_label("Portuguese", exact=True).check()
    page.get_by_label("Filter languages").fill("")
    page.get_by_label("English", exact=True).check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".alert--success")).to_contain_text("Your profile is saved.")

    profile = FreelancerProfile.objects.get(user=user)
    assert (profile.hourly_rate_minor, profile.currency) == (4250, "EUR")
    assert profile.city.name == "Lisbon"
    assert sorted(profile.languages) == ["en", "pt"]

    # 5. A photo, previewed before it is sent.
    page.get_by_label("New photo").set_input_files(_photo(tmp_path / "maria.jpg"))
    preview = page.locator("#avatar-preview")
    expect(preview).to_be_visible()
    page.wait_for_function("document.getElementById('avatar-preview').naturalWidth > 0")
    page.screenshot(path=shots / "profile-edit-preview-desktop.png", full_page=True)
    page.get_by_role("button", name="Upload photo").click()
    expect(page.locator(".alert--success")).to_contain_text("Your new photo is saved.")
    expect(page.get_by_role("button", name="Remove photo")).to_be_visible()
    page.screenshot(path=shots / "profile-edit-desktop.png", full_page=True)

    # 6. The public profile shows it.
    page.get_by_role("link", name="View public profile").first.click()
    expect(page.get_by_role("heading", name="Maria Santos", level=1)).to_be_visible()
    avatar = page.locator(".profile-hero img.avatar")
    expect(avatar).to_be_visible()
    assert avatar.get_attribute("src").startswith("/images/")  # the checked route
    page.wait_for_function("document.querySelector('.profile-hero img.avatar').naturalWidth > 0")
    main = page.locator("main")
    shown = ("42.50 EUR", "Lisbon, PT", "POS installation", "Portuguese", "retail installs", "weekend work")
    for text in shown:
        expect(main).to_contain_text(text)
    page.screenshot(path=shots / "public-profile-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_function("document.querySelector('.profile-hero img.avatar').naturalWidth > 0")
    _no_horizontal_scroll(page)
    page.screenshot(path=shots / "public-profile-phone.png", full_page=True)
    for path in ("/profile/edit/", "/dashboard/"):
        page.goto(base + path)
        _no_horizontal_scroll(page)
    page.screenshot(path=shots / "dashboard-phone.png", full_page=True)
    page.goto(base + "/profile/edit/")
    page.screenshot(path=shots / "profile-edit-phone.png", full_page=True)

    # Anyone may see a public profile.
    visitor = watch(browser.new_context(viewport=PHONE).new_page())
    visitor.goto(page.url.replace("/profile/edit/", f"/freelancers/{profile.handle}/"))
    expect(visitor.get_by_role("heading", name="Maria Santos", level=1)).to_be_visible()
    visitor.goto(base + "/accounts/signup/")
    _no_horizontal_scroll(visitor)
    visitor.screenshot(path=shots / "signup-phone.png", full_page=True)

    # 7. Two-factor: set up an authenticator app (after confirming the password), then log in with it.
    page.set_viewport_size(DESKTOP)
    page.goto(base + "/dashboard/")
    page.get_by_role("link", name="Set up two-factor").click()
    expect(page.get_by_role("heading", name="Two-factor authentication", level=1)).to_be_visible()
    page.screenshot(path=shots / "two-factor-desktop.png", full_page=True)
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", name="Confirm Access", level=1)).to_be_visible()
    page.screenshot(path=shots / "reauthenticate-desktop.png", full_page=True)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Set up an authenticator app", level=1)).to_be_visible()
    page.wait_for_function("document.querySelector('img.qr-code').naturalWidth > 0")
    page.screenshot(path=shots / "two-factor-activate-desktop.png", full_page=True)
    secret = page.locator("#authenticator_secret").input_value()
    code = _totp_code(secret)
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Recovery codes", level=1)).to_be_visible()
    page.screenshot(path=shots / "two-factor-recovery-codes-desktop.png", full_page=True)
    recovery_code = page.locator(".recovery-codes code").first.inner_text()

    page.locator("[data-account-menu] > summary").click()
    page.get_by_role("button", name="Log out").click()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter your code", level=1)).to_be_visible()
    page.screenshot(path=shots / "two-factor-login-desktop.png", full_page=True)
    page.get_by_label("Code").fill(recovery_code)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/dashboard/")
    expect(page.locator("main")).to_contain_text("Manage two-factor")

    context.close()
    assert errors == []


def _totp_code(secret: str) -> str:
    """The authenticator's code now, taken early in its 30-second step so it is still current when the
    server checks it (the server also accepts the neighbouring steps, but the test should not need to)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
