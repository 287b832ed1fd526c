"""Reviews in a browser: the client finds the review waiting on the dashboard, fills in the form
(stars by keyboard and by pointer) and sends it; the freelancer sees nothing of it, reviews in turn,
and both reviews are published to both; the freelancer reports the client's review and staff work
the queue. Screenshots of the form, the profile and the moderation queue at desktop and phone width
(artifacts/screenshots/reviews-*)."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DESKTOP
from tests.e2e.test_moderation_pages import _off_the_event_loop, both_widths, log_in
from tests.factories import make_user
from tests.reviews.world import ended_contract

CLIENT_TEXT = "Thorough, friendly and on time: the booking page works exactly as we hoped."
CLIENT_NOTE = "Slightly over the estimate on hours, but worth it."
FREELANCER_TEXT = "A clear brief, quick feedback and every milestone funded straight away."


def _story():
    contract = ended_contract(
        client=make_user(client=True, email="harriet@example.com", full_name="Harriet Cole"),
        freelancer=make_user(freelancer=True, email="finn@example.com", full_name="Finn Moreau"),
        title="Booking page for a yoga studio",
    )
    make_user(staff=True, email="sam@example.com", full_name="Sam Staff")
    return contract


def _stars(page: Page, group: str, stars: int) -> None:
    label = f"{stars} star{'s' if stars > 1 else ''}"
    page.get_by_role("group", name=group, exact=True).get_by_label(re.compile(rf"^{label}:")).check()


def test_both_sides_review_and_see_each_others_and_staff_moderate(page: Page, browser: Browser, asgi_server, artifacts_dir):
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    contract = _off_the_event_loop(_story)
    contract_path = f"/contracts/{contract.pk}/"

    # The client: the dashboard's reviews waiting, then the form.
    log_in(page, asgi_server, "harriet@example.com", "/dashboard/")
    waiting = page.get_by_role("region", name="Reviews waiting for you")
    expect(waiting).to_contain_text("days left")
    waiting.get_by_role("link", name="Review Finn Moreau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review Finn Moreau")
    expect(page.get_by_role("note", name="How reviews are published")).to_contain_text(
        "until both of you have reviewed or the window closes on"
    )
    expect(page.get_by_text("Only the platform reads this").first).to_be_visible()
    both_widths(page, shots / "reviews-form")

    # Overall by keyboard (a radio group: arrows move the choice), the rest by pointer.
    overall = page.get_by_role("group", name="Overall", exact=True)
    overall.get_by_label(re.compile(r"^1 star:")).focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(overall.get_by_label(re.compile(r"^5 stars:"))).to_be_checked()
    expect(overall).to_contain_text("Excellent")
    for group, stars in (("Quality of the work", 5), ("Communication", 4), ("Expertise", 5), ("Meeting deadlines", 4)):
        _stars(page, group, stars)
    page.get_by_role("group", name="Would you hire Finn Moreau again?").get_by_label("Yes").check()
    page.get_by_label("Your review").fill(CLIENT_TEXT)
    page.get_by_label("Private note to the platform").fill(CLIENT_NOTE)
    both_widths(page, shots / "reviews-form-filled")
    page.get_by_role("button", name="Send the review").click()
    expect(page.get_by_text("Thank you: your review is sent.")).to_be_visible()
    expect(page.get_by_text("Visible to you only")).to_be_visible()
    expect(page.locator("main")).to_contain_text(CLIENT_NOTE)

    # The freelancer: the card offers the review and shows nothing of the client's.
    finn_context = browser.new_context(viewport=DESKTOP)
    finn = finn_context.new_page()
    log_in(finn, asgi_server, "finn@example.com", contract_path)
    card = finn.get_by_role("region", name="Reviews")
    expect(card).to_contain_text("Leave a review")
    expect(finn.locator("main")).not_to_contain_text(CLIENT_TEXT)
    card.get_by_role("link", name="Review Harriet Cole").click()
    _stars(finn, "Overall", 4)
    for group, stars in (("Clear requirements", 4), ("Communication", 5), ("Paying on time", 5)):
        _stars(finn, group, stars)
    expect(finn.get_by_role("group", name=re.compile("hire"))).to_have_count(0)
    finn.get_by_label("Your review").fill(FREELANCER_TEXT)
    finn.get_by_role("button", name="Send the review").click()
    main = finn.locator("main")
    expect(main).to_contain_text(FREELANCER_TEXT)
    expect(main).to_contain_text(CLIENT_TEXT)  # published at once, both
    expect(main).not_to_contain_text(CLIENT_NOTE)

    # The client sees the freelancer's review on the contract page.
    page.goto(f"{asgi_server}{contract_path}")
    expect(page.get_by_role("region", name="Reviews")).to_contain_text(FREELANCER_TEXT)

    # The freelancer replies on the profile, then reports the review.
    finn.goto(f"{asgi_server}/freelancers/{contract.freelancer.freelancer_profile.handle}/")
    reviews = finn.get_by_role("region", name="Reviews")
    expect(reviews).to_contain_text(CLIENT_TEXT)
    reviews.get_by_text("Reply publicly").click()
    reviews.get_by_label("Your public reply").fill("Thank you, Harriet — it was a pleasure.")
    reviews.get_by_role("button", name="Post the reply").click()
    expect(finn.get_by_text("Your reply is published under the review.")).to_be_visible()
    expect(finn.get_by_role("region", name="Reputation")).to_contain_text("5.0")
    both_widths(finn, shots / "reviews-profile")
    finn.get_by_role("region", name="Reviews").get_by_role("link", name="Report this review").click()
    finn.get_by_label("Shares private or contact details").check()
    finn.get_by_label("Anything staff should know").fill("Mentions my hourly estimate, which was private.")
    finn.get_by_role("button", name="Send report").click()
    expect(finn.get_by_text("Thank you: staff will look at the review.")).to_be_visible()
    finn_context.close()

    # Staff: the queue, linked from the menu, and a removal with its reason.
    staff_context = browser.new_context(viewport=DESKTOP)
    staff = staff_context.new_page()
    log_in(staff, asgi_server, "sam@example.com", "/staff/moderation/")
    staff.get_by_role("navigation", name="Main").get_by_text("Menu").click()
    staff.get_by_role("link", name="Review reports").first.click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Review reports")
    item = staff.locator("li.moderation-item", has_text=CLIENT_TEXT)
    expect(item).to_contain_text("Mentions my hourly estimate")
    item.locator("summary", has_text="Remove the review").click()
    both_widths(staff, shots / "reviews-moderation-queue")
    item.locator("textarea[id^=remove-]").fill("Shares what the freelancer charged, which was private.")
    item.locator("button[type=submit]", has_text="Remove the review").click()
    expect(staff.get_by_text("The review is removed")).to_be_visible()
    expect(staff.get_by_text("No open review reports")).to_be_visible()
    both_widths(staff, shots / "reviews-moderation-queue-empty")
    staff_context.close()
