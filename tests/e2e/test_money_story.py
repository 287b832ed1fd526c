"""The money story in a browser, against the fake Stripe, through the real webhook endpoint and a real
Celery worker: the freelancer sets up payouts (two-factor first) → the client funds milestone 1 with
the success card, seeing the fee breakdown first → the freelancer submits a file → the client asks
for changes → the freelancer submits again → the client approves → the freelancer's earnings page
shows the payout. Milestone 2, funded with the decline card, shows the card's reason and stays
unfunded. After each step the fake Stripe's own objects are checked against the ledger.
Screenshots: ``money-*``."""

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import Browser, expect

from escrow.models import Transfer
from marketplace.contracts.models import Milestone
from tests.e2e.test_hiring_story import Person, phone_shot, usd
from tests.escrow.money_world import assert_fake_matches_ledger
from tests.factories import make_contract
from tests.support.processes import (
    VENV_BIN,
    celery_worker_command,
    env_on_test_database,
    free_port,
    log_name,
    running,
    wait_for_http,
)

AMOUNTS = (120_000, 80_000)  # 1,200.00 and 800.00 at the default 5 % / 10 %
# A declined card is answered 402 by Stripe's confirm and by our own confirmation: the browser logs
# both as failed loads, which is what should happen.
DECLINE_ANSWERS = re.compile(r"/v1/payment_intents/\w+/confirm$|/fund/confirm/$")


class Payer(Person):
    def _console(self, message, errors: list[str]) -> None:
        url = message.location.get("url", "")
        if (
            message.text.startswith("Failed to load resource")
            and "402" in message.text
            and DECLINE_ANSWERS.search(url)
        ):
            return
        super()._console(message, errors)


@pytest.fixture
def money_server(transactional_db, settings, stripe_fake, artifacts_dir) -> Iterator[str]:
    """The ASGI server and a Celery worker, both on the fake Stripe, which delivers its signed events
    to the server's webhook endpoint."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings.STRIPE_WEBHOOK_SECRET = stripe_fake.register_webhook(f"{base}/stripe/webhook/")
    env = env_on_test_database(settings)
    logs = artifacts_dir / "logs"
    server = [str(VENV_BIN / "uvicorn"), "marketplace.config.asgi:application", "--port", str(port)]
    with (
        running(
            [*server, "--host", "127.0.0.1", "--lifespan", "off"], env=env, log=logs / log_name("money-asgi")
        ) as proc,
        running(celery_worker_command(), env=env, log=logs / log_name("money-worker")),
    ):
        wait_for_http(f"{base}/healthz", proc=proc, log=logs / log_name("money-asgi"))
        yield base


def _fill_card(person: Person, number: str) -> None:
    page = person.page
    page.locator("[data-fake-stripe-card-number]").fill(number)
    page.locator("[data-fake-stripe-card-expiry]").fill("12 / 34")
    page.locator("[data-fake-stripe-card-cvc]").fill("123")


def test_payouts_funding_revision_approval_and_earnings(
    browser: Browser, money_server: str, stripe_fake, artifacts_dir: Path
):
    base, fake = money_server, stripe_fake
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    contract = make_contract(milestones=AMOUNTS)
    first, second = contract.milestones.all()
    client, freelancer = contract.client, contract.freelancer
    errors: list[str] = []
    milestone_url = f"{base}/contracts/{contract.pk}/milestones/{{}}/"

    # The freelancer: payouts need two-factor first.
    fran = Person(browser, base, shots, errors)
    fran.page.goto(f"{base}/account/payouts/")
    fran.log_in(freelancer.email)
    expect(fran.page.get_by_text("Turn on two-factor authentication first")).to_be_visible()
    expect(fran.page.get_by_role("button", name="Set up payouts with Stripe")).to_be_disabled()
    fran.shot("money-01-payouts-need-2fa")
    TOTP.activate(freelancer, secrets.token_hex(10).upper())  # the authenticator set-up has its own story
    fran.page.reload()
    fran.page.get_by_role("button", name="Set up payouts with Stripe").click()
    # Stripe's onboarding (the fake completes it on opening) sends the freelancer back to us.
    expect(fran.page.get_by_text("Payouts are set up.")).to_be_visible()
    expect(fran.page.locator("[data-payouts=enabled]")).to_have_text("Ready")
    fran.shot("money-02-payouts-ready")

    # The client funds milestone 1, the fee breakdown first.
    carl = Payer(browser, base, shots, errors)
    carl.page.goto(milestone_url.format(first.pk))
    carl.log_in(client.email)
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Awaiting funding")
    carl.shot("money-03-milestone-pending")
    carl.page.get_by_role("link", name=re.compile(r"^Fund ")).click()
    expect(carl.page.locator("[data-fund=amount]")).to_have_text(usd(120_000))
    expect(carl.page.locator("[data-fund=fee]")).to_have_text(usd(6_000))
    expect(carl.page.locator("[data-fund=total]")).to_have_text(usd(126_000))
    _fill_card(carl, "4242 4242 4242 4242")
    carl.shot("money-04-fund-form")
    phone_shot(carl, "money-04-fund-form")
    carl.page.get_by_role("button", name=f"Pay {usd(126_000)}").click()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Funded")
    expect(carl.page.get_by_text("Paid. The money is held in escrow")).to_be_visible()
    carl.shot("money-05-funded")
    fake.flush_webhooks()
    assert_fake_matches_ledger(fake, contract)

    # The freelancer hands in a file; the client asks for changes; the freelancer hands in again.
    fran.page.goto(milestone_url.format(first.pk))
    fran.page.get_by_label("What you hand in").fill("The booking calendar, first version.")
    fran.page.get_by_label("Files").set_input_files(
        files=[{"name": "calendar-notes.txt", "mimeType": "text/plain", "buffer": b"Calendar v1\n"}]
    )
    fran.shot("money-06-submit-form")
    fran.page.get_by_role("button", name="Submit for approval").click()
    expect(fran.page.locator("[data-milestone-status]")).to_have_text("Submitted for approval")
    expect(fran.page.locator("[data-deadline=auto-approve]")).to_contain_text(
        re.compile(r"Approved automatically in 14.days")
    )
    fran.shot("money-07-submitted")

    carl.page.goto(milestone_url.format(first.pk))
    expect(carl.page.get_by_role("link", name="calendar-notes.txt")).to_be_visible()
    carl.page.get_by_text("Ask for changes").click()
    carl.page.get_by_label("What should change").fill("Please show the week view by default.")
    carl.shot("money-08-ask-for-changes")
    carl.page.get_by_role("button", name="Send the request").click()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Changes requested")

    fran.page.reload()
    expect(fran.page.get_by_text("Please show the week view by default.")).to_be_visible()
    fran.shot("money-09-changes-requested")
    fran.page.get_by_label("What you hand in").fill("Week view by default now.")
    fran.page.get_by_role("button", name="Submit for approval").click()
    expect(fran.page.locator("[data-milestone-status]")).to_have_text("Submitted for approval")

    # The client approves: the release goes out at once (the worker sends the transfer).
    carl.page.reload()
    carl.shot("money-10-review")
    carl.page.get_by_role("button", name="Approve and pay").click()
    expect(carl.page.get_by_text("Approved. The payment is on its way")).to_be_visible()
    fake.flush_webhooks()
    for _ in range(40):
        if Milestone.objects.get(pk=first.pk).status == Milestone.Status.RELEASED:
            break
        carl.page.wait_for_timeout(250)
    carl.page.reload()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Paid")
    carl.shot("money-11-paid")
    assert Transfer.objects.get(settlement__hold__milestone=first).status == Transfer.Status.SENT
    assert_fake_matches_ledger(fake, contract)

    # The freelancer's earnings show the payout, traced to the milestone.
    fran.page.goto(f"{base}/earnings/")
    expect(fran.page.get_by_text(usd(108_000)).first).to_be_visible()  # 1,200.00 - 10 %
    expect(fran.page.get_by_role("link", name=re.compile(contract.title)).first).to_be_visible()
    fran.shot("money-12-earnings")
    phone_shot(fran, "money-12-earnings")

    # Milestone 2 with the decline card: the card's reason, and no money moves.
    carl.page.goto(f"{milestone_url.format(second.pk)}fund/")
    saved = carl.page.get_by_role("radio", name=re.compile(r"Visa •••• 4242"))
    expect(saved).to_be_checked()  # the card saved when milestone 1 was paid
    carl.page.get_by_role("radio", name="A new card").check()
    _fill_card(carl, "4000 0000 0000 0002")
    carl.page.get_by_role("button", name=f"Pay {usd(84_000)}").click()
    expect(carl.page.locator("[data-fund-error]")).to_contain_text("Your card was declined.")
    carl.shot("money-13-declined")
    carl.page.goto(milestone_url.format(second.pk))
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Awaiting funding")
    fake.flush_webhooks()
    assert Milestone.objects.get(pk=second.pk).status == Milestone.Status.PENDING
    assert_fake_matches_ledger(fake, contract)

    # The client reads the contract's money in plain words.
    carl.page.goto(f"{base}/contracts/{contract.pk}/")
    expect(carl.page.get_by_role("heading", name="Money", exact=True)).to_be_visible()
    expect(carl.page.locator("section[aria-labelledby=ledger-title]")).to_contain_text("Paid by card")
    carl.shot("money-14-contract-ledger")
    assert errors == []


def test_a_card_that_asks_for_3d_secure_funds_once_authenticated(
    browser: Browser, money_server: str, stripe_fake, artifacts_dir: Path
):
    base, fake = money_server, stripe_fake
    shots = artifacts_dir / "screenshots"
    contract = make_contract(milestones=(50_000,))
    milestone = contract.milestones.get()
    errors: list[str] = []
    carl = Payer(browser, base, shots, errors)
    carl.page.goto(f"{base}/contracts/{contract.pk}/milestones/{milestone.pk}/fund/")
    carl.log_in(contract.client.email)
    _fill_card(carl, "4000 0027 6000 3184")
    carl.page.get_by_role("button", name=f"Pay {usd(52_500)}").click()
    challenge = carl.page.get_by_role("dialog")
    expect(challenge).to_be_visible()
    carl.page.screenshot(path=shots / "money-15-3ds-challenge.png")
    challenge.locator("[data-fake-stripe-3ds=complete]").click()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Funded")
    fake.flush_webhooks()
    assert_fake_matches_ledger(fake, contract)
    assert errors == []


def test_a_saved_card_pays_the_next_milestone(
    browser: Browser, money_server: str, stripe_fake, artifacts_dir: Path
):
    base, fake = money_server, stripe_fake
    contract = make_contract(milestones=(30_000, 20_000))
    first, second = contract.milestones.all()
    errors: list[str] = []
    carl = Payer(browser, base, artifacts_dir / "screenshots", errors)
    carl.page.goto(f"{base}/contracts/{contract.pk}/milestones/{first.pk}/fund/")
    carl.log_in(contract.client.email)
    _fill_card(carl, "5555 5555 5555 4444")
    carl.page.get_by_role("button", name=f"Pay {usd(31_500)}").click()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Funded")
    carl.page.goto(f"{base}/contracts/{contract.pk}/milestones/{second.pk}/fund/")
    expect(carl.page.get_by_role("radio", name=re.compile(r"Mastercard •••• 4444"))).to_be_checked()
    expect(carl.page.locator("[data-card-element]")).to_be_hidden()  # no card details to type
    carl.shot("money-16-saved-card")
    carl.page.get_by_role("button", name=f"Pay {usd(21_000)}").click()
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Funded")
    fake.flush_webhooks()
    intents = [pi for pi in fake.list("/v1/payment_intents") if pi["status"] == "succeeded"]
    assert len({pi["payment_method"] for pi in intents}) == 1  # the same saved card paid both
    assert_fake_matches_ledger(fake, contract)
    assert errors == []
