"""An hourly week's review in a browser: the review box on the week's page, the week's dispute form
and the dispute pages.

1. The client opens a week in review, reads the deadline in their own time zone and approves it early:
   the week is approved and its money released, less the freelancer fee.
2. A second week is disputed in part: the client ticks two entries, each with the amount in question;
   the freelancer reads them; support splits the week; both read the outcome.

Screenshots: ``hourly-review-*`` (desktop 1280 and phone 390 wide)."""

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from escrow.models import Settlement
from marketplace.disputes.models import Dispute
from marketplace.hourly.models import Timesheet
from tests.disputes.world import escalated
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import make_user
from tests.hourly.support import hourly_contract, in_review_week


def _both_widths(person: Person, name: str) -> None:
    person.shot(name)
    phone_shot(person, name)


def test_a_week_approved_early_and_a_week_disputed_in_part_and_split(
    browser: Browser, asgi_server: str, stripe_fake, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    contract = hourly_contract(title="Booking page, by the hour")
    client, freelancer = contract.client, contract.freelancer
    client.timezone = "America/New_York"
    client.save(update_fields=["timezone"])
    first_week = in_review_week(contract, minutes=(120, 90, 45), fake=stripe_fake)
    second_week = in_review_week(
        contract,
        week_start=first_week.week_start - timedelta(days=7),
        minutes=(120, 90, 45),
        fake=stripe_fake,
    )

    # 1. The client approves the first week early, from the review box on the week's page.
    carl = Person(browser, base, shots, errors)
    carl.page.goto(f"{base}/contracts/{contract.pk}/weeks/{first_week.pk}/")
    carl.log_in(client.email)
    box = carl.page.locator("[data-week-review=in_review]")
    expect(box).to_contain_text("Approve or dispute by")
    expect(box).to_contain_text("EST")  # the client's own time zone
    _both_widths(carl, "hourly-review-01-review-box")
    carl.page.get_by_role("button", name="Approve and pay $255.00").click()
    expect(carl.page.get_by_text("Week approved")).to_be_visible()
    expect(carl.page.locator("[data-week-review=approved]")).to_contain_text("Approved")
    _both_widths(carl, "hourly-review-01b-approved")
    first_week.refresh_from_db()
    assert first_week.status == Timesheet.Status.APPROVED
    release = Settlement.objects.get(hold=first_week.hold_id)
    assert (release.principal_minor, release.payee_amount_minor) == (25_500, 22_950)

    # 2. The client disputes two entries of the second week, with the amount in question of each.
    carl.page.goto(f"{base}/timesheets/{second_week.pk}/dispute/")
    first, second, _third = second_week.entries.order_by("started_at")
    carl.page.get_by_label("What went wrong").select_option("quality")
    carl.page.locator(f'[name="pick_{first.pk}"]').check()
    carl.page.locator(f'[name="amount_{first.pk}"]').fill("60.00")
    carl.page.locator(f'[name="minutes_{first.pk}"]').fill("60")
    carl.page.locator(f'[name="pick_{second.pk}"]').check()
    carl.page.locator(f'[name="amount_{second.pk}"]').fill("45.00")
    carl.page.get_by_label("Describe the problem").fill("Monday's second hour and Tuesday were not worked.")
    _both_widths(carl, "hourly-review-02-dispute-form")
    carl.page.get_by_role("button", name="Open the dispute").click()
    expect(carl.page.locator("[data-dispute-status]")).to_have_text("Awaiting response")
    entries = carl.page.locator("[data-week-entries]")
    expect(entries).to_contain_text("In question: 150 minutes, $105.00")
    expect(entries.locator("[data-in-question]")).to_have_count(2)
    _both_widths(carl, "hourly-review-03-disputed")
    dispute = Dispute.objects.get()

    # The freelancer reads the entries in question.
    fran = Person(browser, base, shots, errors)
    fran.page.goto(f"{base}/disputes/{dispute.pk}/")
    fran.log_in(freelancer.email)
    expect(fran.page.locator("[data-week-entries] [data-in-question]")).to_have_count(2)

    # Support splits the week: $150.00 to the freelancer, $105.00 back to the client.
    escalated(dispute)
    agent = make_user(is_support=True, email="sam.support@example.com", full_name="Sam Support")
    sam = Person(browser, base, shots, errors)
    sam.page.goto(f"{base}/support/disputes/{dispute.pk}/")
    sam.log_in(agent.email)
    expect(sam.page.locator("[data-week-entries]")).to_contain_text("$60.00 (60 min)")
    sam.page.get_by_role("radio", name="Split").check()
    sam.page.get_by_label("To the freelancer (a split only)").fill("150.00")
    sam.page.get_by_label("Reason (both parties read it)").fill("Tuesday was not worked; Monday was.")
    sam.page.get_by_role("button", name="Show what each side receives").click()
    preview = sam.page.locator("[data-preview]")
    expect(preview.locator("[data-split=freelancer]")).to_contain_text("$135.00")
    expect(preview.locator("[data-split=client]")).to_contain_text("$110.25")
    _both_widths(sam, "hourly-review-04-support-split")
    sam.page.get_by_role("button", name="Confirm the decision").click()
    expect(sam.page.locator("[data-dispute-status]")).to_have_text("Decided by support")
    second_week.refresh_from_db()
    assert second_week.status == Timesheet.Status.SPLIT

    fran.page.reload()
    expect(fran.page.locator("[data-outcome] [data-split=freelancer]")).to_contain_text("$135.00")
    _both_widths(fran, "hourly-review-05-freelancer-outcome")
    assert errors == []
