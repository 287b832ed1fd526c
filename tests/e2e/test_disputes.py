"""Disputes in a browser, against the fake Stripe and a real Celery worker (``money_server``).

1. The client funds a milestone by card, the freelancer submits work, the client disputes it, the
   freelancer responds with evidence, both ask support to step in, support splits 60/40, and both
   parties read the decision with the money each receives, on the dispute and the contract pages.
2. A client cancels a contract with money in escrow; the freelancer disputes the refund within the
   window, and the money is frozen.

Screenshots: ``dispute-*`` (desktop 1280 and phone 390 wide)."""

import re
import secrets
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import Browser, expect

from escrow.models import Hold, Refund, Transfer
from marketplace.contracts.services import contract_cancel
from marketplace.disputes.models import Dispute
from tests.e2e.test_hiring_story import Person, phone_shot, usd
from tests.e2e.test_money_story import _fill_card, money_server  # noqa: F401 (a fixture)
from tests.escrow.builders import fund_milestone
from tests.escrow.money_world import assert_fake_matches_ledger
from tests.factories import make_contract, make_user

AMOUNT = 100_000  # $1,000.00 at the default 5 % client / 10 % freelancer fees
# 60/40: the freelancer gets $600.00 less 10 % ($540.00); the client $400.00 and its 5 % fee back.
FREELANCER_GETS, CLIENT_GETS = usd(54_000), usd(42_000)


def _both_widths(person: Person, name: str) -> None:
    person.shot(name)
    phone_shot(person, name)


def _wait_for(condition, person: Person, tries: int = 60) -> None:
    for _ in range(tries):
        if condition():
            return
        person.page.wait_for_timeout(250)
    raise AssertionError("waited in vain")


def test_a_disputed_milestone_is_split_by_support(
    browser: Browser,
    money_server: str,  # noqa: F811
    stripe_fake,
    artifacts_dir: Path,
):
    base, fake = money_server, stripe_fake
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    contract = make_contract(milestones=(AMOUNT,))
    milestone = contract.milestones.get()
    client, freelancer = contract.client, contract.freelancer
    agent = make_user(is_support=True, email="sam.support@example.com", full_name="Sam Support")
    errors: list[str] = []
    milestone_url = f"{base}/contracts/{contract.pk}/milestones/{milestone.pk}/"

    # The freelancer sets up payouts (two-factor first), so a release can be paid out.
    fran = Person(browser, base, shots, errors)
    fran.page.goto(f"{base}/account/payouts/")
    fran.log_in(freelancer.email)
    expect(fran.page.get_by_role("button", name="Set up payouts with Stripe")).to_be_disabled()
    TOTP.activate(freelancer, secrets.token_hex(10).upper())
    fran.page.reload()
    fran.page.get_by_role("button", name="Set up payouts with Stripe").click()
    expect(fran.page.get_by_text("Payouts are set up.")).to_be_visible()

    # The client funds the milestone; the funding page says what a dispute does.
    carl = Person(browser, base, shots, errors)
    carl.page.goto(f"{milestone_url}fund/")
    carl.log_in(client.email)
    expect(carl.page.locator("[data-fund-disputes]")).to_contain_text("open a dispute")
    _fill_card(carl, "4242 4242 4242 4242")
    carl.page.get_by_role("button", name=f"Pay {usd(105_000)}").click()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Funded")
    fake.flush_webhooks()

    # The freelancer hands in work.
    fran.page.goto(milestone_url)
    fran.page.get_by_label("What you hand in").fill("The landing page, done.")
    fran.page.get_by_role("button", name="Submit for approval").click()
    expect(fran.page.locator("[data-milestone-status]")).to_have_text("Submitted for approval")

    # The client disputes it: the amount in question is prefilled with what is held.
    carl.page.goto(milestone_url)
    carl.page.get_by_role("link", name="Open a dispute").click()
    expect(carl.page.get_by_label("Amount in question")).to_have_value("1000.00")
    carl.page.get_by_label("What went wrong").select_option("quality")
    carl.page.get_by_label("Describe the problem").fill("The page has none of the agreed sections.")
    carl.page.get_by_label("Evidence files").set_input_files(
        files=[{"name": "brief.txt", "mimeType": "text/plain", "buffer": b"Sections: hero, pricing, FAQ\n"}]
    )
    _both_widths(carl, "dispute-01-open-form")
    carl.page.get_by_role("button", name="Open the dispute").click()
    expect(carl.page.locator("[data-dispute-status]")).to_have_text("Awaiting response")
    expect(carl.page.locator("[data-frozen]")).to_contain_text(f"{usd(AMOUNT)} is frozen")
    expect(carl.page.locator("[data-deadline=respond]")).to_contain_text(
        re.compile(r"Response due in 3.days")
    )
    expect(carl.page.get_by_role("link", name="brief.txt")).to_be_visible()
    _both_widths(carl, "dispute-02-opened")
    milestone.refresh_from_db()
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN

    # The freelancer finds it in their list and answers with evidence.
    fran.page.goto(f"{base}/disputes/")
    expect(fran.page.locator("[data-dispute]")).to_have_count(1)
    _both_widths(fran, "dispute-03-list")
    fran.page.get_by_role("link", name=milestone.title).click()
    expect(fran.page.locator("[data-deadline=respond]")).to_be_visible()
    fran.page.get_by_label("Your answer").fill("Every section is there; see the screenshot list.")
    fran.page.locator("[data-form=respond]").get_by_label("Evidence files").set_input_files(
        files=[{"name": "sections.txt", "mimeType": "text/plain", "buffer": b"hero: yes\npricing: yes\n"}]
    )
    fran.page.get_by_role("button", name="Send your answer").click()
    expect(fran.page.get_by_text("Your answer is sent")).to_be_visible()
    expect(fran.page.get_by_role("link", name="sections.txt")).to_be_visible()
    _both_widths(fran, "dispute-04-responded")

    # Both ask support to step in: it escalates at once, with support's one-business-day target.
    fran.page.get_by_role("button", name="Ask support to step in").click()
    carl.page.reload()
    expect(carl.page.locator("[data-asked-support]")).to_contain_text("The other side asked support")
    carl.page.get_by_role("button", name="Ask support to step in").click()
    expect(carl.page.locator("[data-dispute-status]")).to_have_text("With support")
    expect(carl.page.locator("[data-deadline=decide]")).to_contain_text("Support decides")

    # Support: the queue, the case, assign to self, a note, and a 60/40 split after the preview.
    sam = Person(browser, base, shots, errors)
    sam.page.goto(f"{base}/accounts/login/")
    sam.log_in(agent.email)
    sam.page.get_by_role("link", name="Disputes queue").first.click()
    expect(sam.page.locator("[data-dispute]")).to_have_count(1)
    _both_widths(sam, "dispute-05-queue")
    sam.page.locator("[data-dispute] a").first.click()
    sam.page.get_by_label("Assign to").select_option(label="Sam Support")
    sam.page.get_by_role("button", name="Assign", exact=True).click()
    expect(sam.page.get_by_text("Assigned to you")).to_be_visible()
    sam.page.get_by_role("textbox", name="Internal note").fill(
        "Both files read; the page lacks the FAQ only."
    )
    sam.page.get_by_role("button", name="Add the note").click()
    expect(sam.page.get_by_text("Both files read")).to_be_visible()
    expect(sam.page.get_by_role("link", name="brief.txt")).to_be_visible()
    expect(sam.page.get_by_role("link", name="sections.txt")).to_be_visible()
    sam.page.get_by_role("radio", name="Split").check()
    sam.page.get_by_label("To the freelancer (a split only)").fill("600.00")
    sam.page.get_by_label("Reason (both parties read it)").fill(
        "Most of the work was delivered; the FAQ was not."
    )
    sam.page.get_by_role("button", name="Show what each side receives").click()
    preview = sam.page.locator("[data-preview]")
    expect(preview.locator("[data-split=freelancer]")).to_contain_text(FREELANCER_GETS)
    expect(preview.locator("[data-split=client]")).to_contain_text(CLIENT_GETS)
    _both_widths(sam, "dispute-06-case-preview")
    sam.page.get_by_role("button", name="Confirm the decision").click()
    expect(sam.page.locator("[data-dispute-status]")).to_have_text("Decided by support")
    _both_widths(sam, "dispute-07-case-decided")

    # The money moves (the worker sends the transfer and the refund); both read the decision.
    def settled() -> bool:
        fake.flush_webhooks()
        return (
            Transfer.objects.filter(
                settlement__hold_id=milestone.hold_id, status=Transfer.Status.SENT
            ).exists()
            and Refund.objects.filter(
                settlement__hold_id=milestone.hold_id, status=Refund.Status.SENT
            ).exists()
        )

    _wait_for(settled, sam)
    assert Dispute.objects.get().status == Dispute.Status.DECIDED
    carl.page.reload()
    outcome = carl.page.locator("[data-outcome]")
    expect(outcome).to_contain_text("Support decided: split")
    expect(outcome.locator("[data-split=client]")).to_contain_text(CLIENT_GETS)
    expect(outcome).to_contain_text("Most of the work was delivered")
    _both_widths(carl, "dispute-08-client-decision")
    fran.page.reload()
    expect(fran.page.locator("[data-outcome] [data-split=freelancer]")).to_contain_text(FREELANCER_GETS)
    _both_widths(fran, "dispute-09-freelancer-decision")

    # The contract's money, in plain words, for both.
    for person, name in ((carl, "client"), (fran, "freelancer")):
        person.page.goto(f"{base}/contracts/{contract.pk}/")
        expect(person.page.locator("section[aria-labelledby=ledger-title]")).to_be_visible()
        _both_widths(person, f"dispute-10-contract-money-{name}")
    fran.page.goto(f"{base}/earnings/")
    expect(fran.page.get_by_text(FREELANCER_GETS).first).to_be_visible()
    fran.shot("dispute-11-earnings")
    assert_fake_matches_ledger(fake, contract)
    assert errors == []


def test_the_freelancer_disputes_a_cancellation_refund(
    browser: Browser,
    money_server: str,  # noqa: F811
    artifacts_dir: Path,
):
    base = money_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    contract = make_contract(milestones=(AMOUNT,))
    milestone = contract.milestones.get()
    fund_milestone(milestone)
    errors: list[str] = []

    # The client's cancel dialog says the freelancer may dispute the refund.
    carl = Person(browser, base, shots, errors)
    carl.page.goto(f"{base}/contracts/{contract.pk}/")
    carl.log_in(contract.client.email)
    carl.page.get_by_text("Cancel the contract").first.click()
    expect(carl.page.locator("[data-dispute-window]")).to_contain_text(
        "the freelancer can dispute the refund"
    )
    carl.shot("dispute-12-cancel-dialog")
    contract_cancel(
        acting_user=contract.client,
        contract=contract,
        reason="We went another way.",
        cancel_reason="plans_changed",
    )

    fran = Person(browser, base, shots, errors)
    fran.page.goto(f"{base}/contracts/{contract.pk}/milestones/{milestone.pk}/")
    fran.log_in(contract.freelancer.email)
    refund = fran.page.locator("[data-deadline=refund]")
    expect(refund).to_contain_text(re.compile(r"Refunded to the client in 3.days"))
    expect(refund).to_contain_text("you can dispute the refund")
    _both_widths(fran, "dispute-13-refund-window")
    refund.get_by_role("link", name="Dispute this refund").click()
    expect(fran.page.get_by_role("heading", name="Dispute this refund")).to_be_visible()
    fran.page.get_by_label("Describe the problem").fill(
        "Half the work was delivered before the cancellation."
    )
    fran.page.get_by_label("Amount in question").fill("500.00")
    fran.page.get_by_role("button", name="Dispute the refund").click()
    expect(fran.page.locator("[data-dispute-status]")).to_have_text("Awaiting response")
    expect(fran.page.locator("[data-frozen]")).to_be_visible()
    _both_widths(fran, "dispute-14-refund-disputed")
    dispute = Dispute.objects.get()
    assert (dispute.kind, dispute.amount_minor) == (Dispute.Kind.CANCELLATION, 50_000)
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN
    assert errors == []
