"""Messaging in two browsers at once: a client and a freelancer chat on their contract page. A message
arrives on the other side without a reload, the typing indicator shows, the read receipt follows,
an image is previewed; then the inbox, the conversation and the proposal's panel at both widths."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection
from playwright.sync_api import Browser, Page, expect

from messaging.services.conversations import conversation_for_contract, conversation_for_proposal
from messaging.services.messages import message_post
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, make_client, make_contract, make_freelancer, make_job, make_proposal
from tests.support.images import image_bytes


def off_the_loop(function, *args, **kwargs):
    """Sync Playwright runs an event loop in this thread, and the services' pushes after commit need
    a thread without one (``async_to_sync``): data is made in a thread of its own."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def log_in(browser: Browser, base: str, user, errors: list[str]) -> Page:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return page


def shots(page: Page, folder: Path, name: str) -> None:
    """The page at 1280 and 390 px, whole; back to the desktop width after."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays at the top of the shot
        page.wait_for_timeout(150)
        page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_client_and_freelancer_chat_live_on_the_contract_page(
    browser: Browser, asgi_server, artifacts_dir, tmp_path
):
    folder = artifacts_dir / "screenshots" / "messaging"
    folder.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    client_user = make_client(email="harriet@example.com", full_name="Harriet Cole")
    freelancer = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    contract = off_the_loop(
        make_contract, client=client_user, freelancer=freelancer, title="Booking page for a yoga studio"
    )
    conversation = off_the_loop(conversation_for_contract, contract)
    contract_url = f"{asgi_server}/contracts/{contract.pk}/"

    ana = log_in(browser, asgi_server, freelancer, errors)
    expect(ana.locator("[data-messages-link]")).to_have_accessible_name("Messages")
    harriet = log_in(browser, asgi_server, client_user, errors)

    for page in (ana, harriet):
        page.goto(contract_url)
        expect(page.locator(f"#conversation-{conversation.pk}")).to_be_visible()
        expect(page.get_by_text("No messages yet.")).to_be_visible()
    ana.wait_for_timeout(800)  # both websockets connected

    # Ana types: Harriet sees it; Ana sends: it arrives on Harriet's page without a reload.
    box = ana.get_by_label("Message", exact=True)
    box.click()
    box.press_sequentially("Hello Harriet! I have started on the **wireframes**.", delay=10)
    expect(harriet.locator("[data-typing]")).to_have_text("Ana Costa is typing…")
    ana.get_by_role("button", name="Send", exact=True).click()
    expect(box).to_have_value("")
    mine = ana.locator(".msg--mine").last
    expect(mine).to_contain_text("I have started on the wireframes.")
    arrived = harriet.locator(".msg").filter(has_text="I have started on the wireframes.")
    expect(arrived).to_be_visible()
    expect(arrived.locator("strong", has_text="wireframes")).to_be_visible()
    expect(harriet.locator("[data-announce]")).to_contain_text("New message from Ana Costa")
    expect(harriet.locator("[data-typing]")).to_have_text("")

    # Read only once Harriet has the conversation on screen (the header counts it meanwhile); then
    # Ana sees "Seen" under it and Harriet's count goes.
    messages_link = harriet.locator("[data-messages-link]")
    expect(messages_link).to_have_accessible_name("Messages, 1 unread")
    expect(mine.locator("[data-seen]")).to_be_hidden()
    harriet.locator(f"#conversation-{conversation.pk}").scroll_into_view_if_needed()
    expect(mine.locator("[data-seen]")).to_be_visible()
    expect(messages_link).to_have_accessible_name("Messages")

    # Harriet answers with a picture: Ana gets the preview, linked to the file.
    picture = tmp_path / "studio.png"
    picture.write_bytes(image_bytes("PNG", size=(800, 600)))
    harriet.get_by_label("Message", exact=True).fill("Great! Here is the studio's entrance.")
    harriet.get_by_label("Attach files").set_input_files(picture)
    harriet.get_by_role("button", name="Send", exact=True).click()
    preview = ana.locator(".msg__images img[alt='studio.png']")
    expect(preview).to_be_visible()
    expect(preview).to_have_js_property("complete", True)
    assert preview.evaluate("img => img.naturalWidth") > 0
    expect(harriet.locator(".msg__images img[alt='studio.png']")).to_be_visible()

    # Ana edits her message in place; Harriet's copy follows.
    mine.locator("summary", has_text="Edit").click()
    mine.get_by_label("Your message").fill("Hello Harriet! The wireframes are half done.")
    mine.get_by_role("button", name="Save").click()
    expect(harriet.locator(".msg").first).to_contain_text("The wireframes are half done.")
    expect(harriet.locator(".msg").first).to_contain_text("(edited)")

    for name, page in (("contract-freelancer", ana), ("contract-client", harriet)):
        page.locator(f"#conversation-{conversation.pk}").scroll_into_view_if_needed()
        shots(page, folder, name)

    # Ana deletes it (asked once more); Harriet's copy says so.
    mine.locator("summary", has_text="Delete").click()
    mine.get_by_role("button", name="Delete the message").click()
    expect(mine).to_contain_text("Message deleted.")
    expect(mine.locator("summary")).to_have_count(0)
    expect(harriet.locator(".msg").first).to_contain_text("Message deleted.")
    expect(harriet.locator(".msg").first).not_to_contain_text("half done")

    # The inbox, full, on both sides; the conversation beside the list, stacked on a phone.
    ana.goto(asgi_server + "/messages/")
    rows = ana.locator(".conv")  # the contract's, and the proposal's that led to it
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Booking page for a yoga studio")
    expect(rows.first).to_contain_text("Harriet Cole")
    expect(rows.first).to_contain_text("Great! Here is the studio's entrance.")
    shots(ana, folder, "inbox")
    rows.first.locator(".conv__link").click()
    expect(ana.locator(".panel__title")).to_have_text("Booking page for a yoga studio")
    shots(ana, folder, "conversation")
    ana.set_viewport_size(PHONE)
    expect(ana.locator(".inbox__list")).to_be_hidden()
    ana.get_by_role("link", name="All conversations").click()
    expect(ana.locator(".inbox__list")).to_be_visible()
    ana.set_viewport_size(DESKTOP)
    assert errors == []


def test_a_proposal_shows_its_conversation_in_place(browser: Browser, asgi_server, artifacts_dir):
    folder = artifacts_dir / "screenshots" / "messaging"
    folder.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    client_user = make_client(email="harriet@example.com", full_name="Harriet Cole")
    freelancer = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    job = off_the_loop(make_job, client=client_user, title="Logo for a bakery")
    proposal = off_the_loop(make_proposal, job, freelancer=freelancer)
    off_the_loop(conversation_for_proposal, proposal)

    newcomer = log_in(browser, asgi_server, make_freelancer(email="nia@example.com"), errors)
    newcomer.goto(asgi_server + "/messages/")
    expect(newcomer.get_by_text("No conversations yet")).to_be_visible()
    shots(newcomer, folder, "inbox-empty")

    harriet = log_in(browser, asgi_server, client_user, errors)
    harriet.goto(f"{asgi_server}/jobs/{job.pk}/proposals/")
    harriet.locator(".proposal").get_by_role("link", name="Messages").click()
    harriet.get_by_label("Message", exact=True).fill("Could you show a bakery logo you made?")
    harriet.get_by_role("button", name="Send", exact=True).click()
    expect(harriet.locator(".msg--mine")).to_contain_text("Could you show a bakery logo you made?")
    # Sharing a proposal, she may also talk to Ana directly, from Ana's profile.
    harriet.goto(f"{asgi_server}/freelancers/{freelancer.freelancer_profile.handle}/")
    shots(harriet, folder, "profile-message")
    harriet.get_by_role("button", name="Send a message").click()
    expect(harriet).to_have_url(re.compile(r"/messages/\d+/$"))
    expect(harriet.get_by_role("heading", name="Harriet Cole and Ana Costa")).to_be_visible()

    ana = log_in(browser, asgi_server, freelancer, errors)
    expect(ana.locator("[data-messages-link]")).to_have_accessible_name("Messages, 1 unread")
    ana.goto(f"{asgi_server}/jobs/{job.pk}/")
    expect(ana.get_by_role("heading", name="Messages with the client")).to_be_visible()
    expect(ana.locator(".msg")).to_contain_text("Could you show a bakery logo you made?")
    expect(ana.locator("[data-messages-link]")).to_have_accessible_name("Messages")
    shots(ana, folder, "proposal-freelancer")
    assert errors == []


def test_older_messages_load_as_you_scroll_back(browser: Browser, asgi_server, settings):
    settings.MESSAGES_PER_MINUTE = 1000
    errors: list[str] = []
    client_user = make_client(email="harriet@example.com", full_name="Harriet Cole")
    freelancer = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    contract = off_the_loop(make_contract, client=client_user, freelancer=freelancer)
    conversation = off_the_loop(conversation_for_contract, contract)

    def history():
        for n in range(40):
            message_post(acting_user=client_user, conversation_id=conversation.pk, body=f"Note number {n}")

    off_the_loop(history)
    ana = log_in(browser, asgi_server, freelancer, errors)
    ana.goto(f"{asgi_server}/messages/{conversation.pk}/")
    messages = ana.locator("[data-messages] > .msg")
    expect(messages).to_have_count(30)
    expect(messages.last).to_contain_text("Note number 39")
    history_box = ana.locator("[data-history]")
    assert history_box.evaluate("box => box.scrollHeight - box.scrollTop - box.clientHeight") < 5
    history_box.evaluate("box => { box.scrollTop = 0; }")
    expect(messages).to_have_count(40)
    expect(messages.first).to_contain_text("Note number 0")
    expect(ana.locator("[data-older-link]")).to_have_count(0)
    assert errors == []
