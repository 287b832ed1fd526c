"""The processor's limits on one charge, so that a payment it would refuse is refused when it is
agreed (a milestone proposed or offered), not discovered when the client pays.

Stripe (docs.stripe.com/currencies, "Minimum and maximum charge amounts"): at most eight digits in
minor units (99,999,999: USD 999,999.99) and, per settlement currency, a smallest charge (USD 0.50,
GBP 0.30, ...). The fake Stripe (``escrow/fake_stripe/charges.py``) refuses the same amounts.
"""

from marketplace.core.exceptions import InvalidInput
from marketplace.core.money import Money, format_money

MAXIMUM_CHARGE_MINOR = 99_999_999
MINIMUM_CHARGE_MINOR = {
    "USD": 50,
    "EUR": 50,
    "GBP": 30,
    "AUD": 50,
    "CAD": 50,
    "CHF": 50,
    "NZD": 50,
    "SGD": 50,
    "BRL": 50,
    "INR": 50,
    "JPY": 50,
    "BGN": 100,
    "AED": 200,
    "MYR": 200,
    "PLN": 200,
    "RON": 200,
    "DKK": 250,
    "NOK": 300,
    "SEK": 300,
    "HKD": 400,
    "MXN": 1_000,
    "THB": 1_000,
    "CZK": 1_500,
    "HUF": 17_500,
}
TOO_LARGE, TOO_SMALL = "charge_too_large", "charge_too_small"


def charge_limit_problem(total: Money) -> tuple[str, str] | None:
    """(code, plain words) when one charge of ``total`` is outside the processor's limits."""
    if total.amount_minor > MAXIMUM_CHARGE_MINOR:
        most = format_money(MAXIMUM_CHARGE_MINOR, total.currency)
        return TOO_LARGE, f"One card payment can be at most {most}; split it into more milestones."
    least = MINIMUM_CHARGE_MINOR.get(total.currency, 1)
    if total.amount_minor < least:
        return TOO_SMALL, f"One card payment must be at least {format_money(least, total.currency)}."
    return None


def require_chargeable(total: Money) -> None:
    """400 ``charge_too_large`` / ``charge_too_small`` for a charge the processor would refuse."""
    problem = charge_limit_problem(total)
    if problem is not None:
        code, message = problem
        raise InvalidInput(message, code=code)
