"""What the card form says after the card step, in a browser against the fake Stripe, the real
webhook endpoint and a Celery worker: when the site cannot check a payment Stripe took, it says the
card was charged and not to pay again (never "nothing was charged"), and the webhook funds the
milestone; when the contract ended while the form was open, the payment goes straight back and the
milestone page says it is refunded. Screenshots: ``payment-message-*`` at both widths."""

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from marketplace.contracts.models import Milestone
from marketplace.contracts.services import contract_cancel
from tests.e2e import test_money_story
from tests.e2e.test_hiring_story import phone_shot, usd
from tests.e2e.test_money_story import Payer, _fill_card
from tests.factories import make_contract

money_server = test_money_story.money_server  # the server and worker fixture of the money story
UNCHECKED = re.compile(r"/fund/confirm/$")


class Client(Payer):
    """The payer, whose page expects one 503: the confirmation Stripe would not answer."""

    def _console(self, message, errors: list[str]) -> None:
        url = message.location.get("url", "")
        if (
            message.text.startswith("Failed to load resource")
            and "503" in message.text
            and UNCHECKED.search(url)
        ):
            return
        super()._console(message, errors)


def test_the_card_form_says_what_happened_to_the_payment(
    browser: Browser, money_server: str, stripe_fake, artifacts_dir: Path
):
    base, fake = money_server, stripe_fake
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    contract = make_contract(milestones=(120_000, 80_000))
    first, second = contract.milestones.all()
    errors: list[str] = []
    fund_url = f"{base}/contracts/{contract.pk}/milestones/{{}}/fund/"

    # Stripe takes the payment, but the site's own read of it fails (Stripe answers 500 once).
    carl = Client(browser, base, shots, errors)
    carl.page.goto(fund_url.format(first.pk))
    carl.log_in(contract.client.email)
    _fill_card(carl, "4242 4242 4242 4242")
    fake.inject_fault("GET", "/v1/payment_intents/*", "error")
    with carl.page.expect_response(UNCHECKED):
        carl.page.get_by_role("button", name=f"Pay {usd(126_000)}").click()
    alert = carl.page.locator("[data-fund-error]")
    expect(alert).to_contain_text("Your card was charged")
    expect(alert).to_contain_text("Do not pay again")
    expect(alert).not_to_contain_text("nothing was charged")
    carl.shot("payment-message-01-charged-not-checked")
    phone_shot(carl, "payment-message-01-charged-not-checked")
    fake.flush_webhooks()  # payment_intent.succeeded: the worker records it
    carl.page.goto(f"{base}/contracts/{contract.pk}/milestones/{first.pk}/")
    expect(carl.page.locator("[data-milestone-status]")).to_have_text("Funded")

    # The contract ends between the page getting milestone 2's PaymentIntent and Stripe.js confirming
    # it with the card (saved with the first payment); the card step still goes through.
    def cancel_then_confirm(route) -> None:
        contract_cancel(
            acting_user=contract.client,
            contract=contract,
            reason="The project was cancelled.",
            cancel_reason="plans_changed",
        )
        route.continue_()

    carl.page.goto(fund_url.format(second.pk))
    carl.page.route(re.compile(r"/v1/payment_intents/\w+/confirm$"), cancel_then_confirm)
    carl.page.get_by_role("button", name=f"Pay {usd(84_000)}").click()
    expect(carl.page.get_by_text("refunded in full to your card")).to_be_visible()
    assert Milestone.objects.get(pk=second.pk).status == Milestone.Status.CANCELLED
    carl.shot("payment-message-02-refunded")
    phone_shot(carl, "payment-message-02-refunded")
    assert errors == [], errors
