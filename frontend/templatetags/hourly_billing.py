"""The hourly week's payment state for the week page and the paused banner for the time page:
``{% week_payment week %}`` and ``{% paused_banner contract %}`` (each reads the viewer from the
request, so the including page passes only its week or contract)."""

from django import template

from marketplace.contracts.permissions import CLIENT, contract_party_side
from marketplace.hourly.models import Timesheet
from marketplace.hourly.selectors import week_payment_failed_of
from marketplace.hourly.services.billing import PAY_PERMISSION

register = template.Library()


def _payer(context, contract) -> bool:
    request = context.get("request")
    return bool(request) and contract_party_side(request.user, contract, PAY_PERMISSION) == CLIENT


@register.inclusion_tag("frontend/hourly/_week_payment_state.html", takes_context=True)
def week_payment(context, week: Timesheet | None):
    if week is None:
        return {"week": None}
    payer = _payer(context, week.contract)
    return {"week": week, "contract": week.contract, "payer": payer, "Status": Timesheet.Status}


@register.inclusion_tag("frontend/hourly/_paused_state.html", takes_context=True)
def paused_banner(context, contract):
    week = week_payment_failed_of(contract) if contract is not None else None
    return {"week": week, "contract": contract, "payer": week is not None and _payer(context, contract)}
