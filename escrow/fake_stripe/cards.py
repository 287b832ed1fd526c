"""Stripe's documented test cards (https://docs.stripe.com/testing) and what each one does.

A card's *behaviour* decides what happens when a payment is confirmed with it:

- ``succeed``: the payment succeeds;
- ``decline``: the payment is declined with ``code`` / ``decline_code`` / ``message``;
- ``authenticate_always``: 3-D Secure on every payment; off-session payments fail with
  ``authentication_required`` (4000 0027 6000 3184, ``pm_card_authenticationRequired``);
- ``authenticate_unless_setup``: 3-D Secure on one-time payments, but an off-session payment with a card
  that was set up for off-session use succeeds (4000 0025 0000 3155,
  ``pm_card_authenticationRequiredOnSetup``);
- ``three_d_secure``: the 3DS1/3DS2 "required" cards, which behave like ``authenticate_always``.

Any other number that passes the Luhn check succeeds, like 4242 4242 4242 4242.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    number: str
    brand: str
    behaviour: str = "succeed"
    code: str | None = None
    decline_code: str | None = None
    message: str | None = None
    funding: str = "credit"
    country: str = "US"


DECLINED = "Your card was declined."

CARDS: dict[str, Card] = {
    card.number: card
    for card in (
        Card("4242424242424242", "visa"),
        Card("4000056655665556", "visa", funding="debit"),
        Card("5555555555554444", "mastercard"),
        Card("2223003122003222", "mastercard"),
        Card("5200828282828210", "mastercard", funding="debit"),
        Card("5105105105105100", "mastercard", funding="prepaid"),
        Card("378282246310005", "amex"),
        Card("371449635398431", "amex"),
        Card("6011111111111117", "discover"),
        Card("4000000000000077", "visa"),
        Card("4000000000000002", "visa", "decline", "card_declined", "generic_decline", DECLINED),
        Card(
            "4000000000009995",
            "visa",
            "decline",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        Card("4000000000009987", "visa", "decline", "card_declined", "lost_card", DECLINED),
        Card("4000000000009979", "visa", "decline", "card_declined", "stolen_card", DECLINED),
        Card("4000000000000069", "visa", "decline", "expired_card", "expired_card", "Your card has expired."),
        Card(
            "4000000000000127",
            "visa",
            "decline",
            "incorrect_cvc",
            "incorrect_cvc",
            "Your card's security code is incorrect.",
        ),
        Card(
            "4000000000000119",
            "visa",
            "decline",
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        Card("4000000000000341", "visa", "decline", "card_declined", "generic_decline", DECLINED),
        Card("4000002760003184", "visa", "authenticate_always"),
        Card("4000002500003155", "visa", "authenticate_unless_setup"),
        Card("4000000000003063", "visa", "three_d_secure"),
        Card("4000000000003220", "visa", "three_d_secure"),
    )
}

# The documented test PaymentMethod ids; each use creates a fresh pm_ object, as Stripe does.
TEST_PAYMENT_METHODS: dict[str, str] = {
    "pm_card_visa": "4242424242424242",
    "pm_card_visa_debit": "4000056655665556",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_mastercard_debit": "5200828282828210",
    "pm_card_mastercard_prepaid": "5105105105105100",
    "pm_card_amex": "378282246310005",
    "pm_card_discover": "6011111111111117",
    "pm_card_bypassPending": "4000000000000077",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_authenticationRequiredOnSetup": "4000002500003155",
    "pm_card_threeDSecureRequired": "4000000000003063",
    "pm_card_threeDSecure2Required": "4000000000003220",
}

AUTHENTICATING = {"authenticate_always", "authenticate_unless_setup", "three_d_secure"}


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def brand_of(number: str) -> str:
    if number.startswith(("34", "37")):
        return "amex"
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number.startswith(("6011", "65", "644", "645", "646", "647", "648", "649")):
        return "discover"
    if number.startswith(("300", "301", "302", "303", "304", "305", "36", "38")):
        return "diners"
    if number.startswith("35"):
        return "jcb"
    if number.startswith("62"):
        return "unionpay"
    return "unknown"


def card_for(number: str) -> Card:
    """The test card for ``number``; an unknown Luhn-valid number behaves like 4242 4242 4242 4242."""
    return CARDS.get(number) or Card(number, brand_of(number))
