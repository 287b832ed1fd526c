from django import template

from marketplace.core.money import format_money

register = template.Library()


@register.filter
def money(amount_minor: int | None, currency: str) -> str:
    """``{{ job.budget_minor|money:job.currency }}`` → ``$1,500.00``."""
    return format_money(amount_minor, currency)


@register.filter
def percent_bp(bp: int | None) -> str:
    """Basis points as a percentage: ``500`` → ``5%``, ``1250`` → ``12.5%``."""
    if bp is None:
        return ""
    return f"{bp / 100:g}%"


@register.filter
def signed_money(amount_minor: int | None, currency: str) -> str:
    """A movement with its direction: ``+$5.00``, ``\u2212$5.00`` (U+2212, a minus sign), ``$0.00``."""
    if amount_minor is None:
        return ""
    sign = "+" if amount_minor > 0 else "\u2212" if amount_minor < 0 else ""
    return sign + format_money(abs(amount_minor), currency)
