"""Amounts are integer minor units plus an ISO 4217 currency; these convert for people to read
and type. Nothing here is used for arithmetic on money (that stays in integers)."""

from decimal import Decimal

# ISO 4217 minor-unit exponents that differ from the usual two decimals.
_ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
                 "XAF", "XOF", "XPF"}  # fmt: skip
_THREE_DECIMAL = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def currency_exponent(currency: str) -> int:
    if currency in _ZERO_DECIMAL:
        return 0
    if currency in _THREE_DECIMAL:
        return 3
    return 2


def minor_to_major(amount_minor: int | None, currency: str) -> Decimal | None:
    if amount_minor is None:
        return None
    return Decimal(amount_minor).scaleb(-currency_exponent(currency))


def major_to_minor(amount: Decimal, currency: str) -> int:
    """Exact for amounts with at most the currency's decimals (forms check that first)."""
    return int(amount.scaleb(currency_exponent(currency)))


def format_money(amount_minor: int | None, currency: str) -> str:
    """``150050, "USD"`` → ``$1,500.50``; currencies without a symbol read ``1,500.50 CHF``."""
    if amount_minor is None:
        return ""
    exponent = currency_exponent(currency)
    major = minor_to_major(abs(amount_minor), currency)
    text = f"{major:,.{exponent}f}"
    sign = "-" if amount_minor < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"
