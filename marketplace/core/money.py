"""Amounts are integer minor units plus an ISO 4217 currency; these convert for people to read
and type. Nothing here is used for arithmetic on money (that stays in integers)."""

from dataclasses import dataclass
from decimal import Decimal
from functools import total_ordering

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


class CurrencyMismatch(ValueError):
    """Amounts in two currencies were combined; they are never converted silently."""


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: integer minor units and an ISO currency. Mixing currencies raises."""

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int:
            raise TypeError("Money holds an integer number of minor units.")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"Not an ISO currency code: {self.currency!r}")

    def _same(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError("Money combines only with Money.")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined.")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount_minor, self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._same(other)
        return self.amount_minor < other.amount_minor

    def __str__(self) -> str:
        return format_money(self.amount_minor, self.currency)
