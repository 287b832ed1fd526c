"""Money pages: a freelancer's earnings (held, waiting to be paid out, paid out, each payout traced
to its milestone), a person's payments (receipts of charges, refunds and payouts, newest first), and
one receipt as a page and as a PDF (WeasyPrint, from the print variant of the same template)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from escrow import selectors as escrow_selectors
from escrow.models import Charge, Refund, Transfer
from marketplace.contracts import selectors as contract_selectors
from marketplace.contracts.money import FREELANCER, payout_note
from marketplace.core.exceptions import NotFound
from marketplace.statements.selectors import organisation_receipt_for

from .helpers import paginate

# A receipt's number: a prefix for its kind and the row's id ("CH-000042").
RECEIPT_PREFIX = {"charge": "CH", "refund": "RF", "transfer": "TR"}
# Payouts listed open on the earnings page; older ones sit in a disclosure below them.
RECENT_PAYOUTS = 10
RECEIPT_TITLE = {"charge": "Payment receipt", "refund": "Refund receipt", "transfer": "Payout receipt"}


def receipt_number(kind: str, pk: int) -> str:
    return f"{RECEIPT_PREFIX[kind]}-{pk:06d}"


def _hold_of(payment):
    return payment.hold if isinstance(payment, Charge) else payment.settlement.hold


@login_required
def earnings(request: HttpRequest) -> HttpResponse:
    """Per currency: held in escrow, released and waiting to be paid out, paid out; and every
    payout (a transfer) with the milestone and contract it paid for."""
    per_currency = escrow_selectors.earnings_of(request.user)
    paused_until = escrow_selectors.payouts_paused_until(request.user.pk)
    holds = [hold for earnings in per_currency for hold in earnings.holds]
    milestones = contract_selectors.milestones_by_hold(hold.pk for hold in holds)
    for earnings in per_currency:
        earnings.payouts = sorted(
            (
                {
                    "transfer": transfer,
                    "settlement": transfer.settlement,
                    "milestone": milestones.get(hold.pk),
                    "note": payout_note(transfer, side=FREELANCER, paused_until=paused_until),
                }
                for hold in earnings.holds
                for transfer in hold.transfers
            ),
            # Those not paid out yet first (they may need the freelancer to act), then newest first.
            key=lambda row: (
                row["transfer"].status != Transfer.Status.SENT,
                row["transfer"].sent_at or row["transfer"].created_at,
                row["transfer"].pk,
            ),
            reverse=True,
        )
        earnings.recent_payouts = earnings.payouts[:RECENT_PAYOUTS]
        earnings.older_payouts = earnings.payouts[RECENT_PAYOUTS:]
        earnings.in_escrow = [
            {"hold": hold, "milestone": milestones.get(hold.pk)} for hold in earnings.holds if hold.held_minor
        ]
        # Waiting for the freelancer to set up payouts; a delayed one (refused, paused) says why itself.
        earnings.blocked = any(
            row["transfer"].status == Transfer.Status.BLOCKED and not row["note"] for row in earnings.payouts
        )
        earnings.delayed = any(row["note"] for row in earnings.payouts)
    context = {
        "per_currency": per_currency,
        "paused_until": paused_until,
        "pause_hours": settings.PAYOUT_PAUSE_HOURS,
    }
    return render(request, "frontend/money/earnings.html", context)


@login_required
def payments(request: HttpRequest) -> HttpResponse:
    """The person's receipts, newest first, a page at a time."""
    page = paginate(request, escrow_selectors.receipts_of(request.user))
    rows = escrow_selectors.receipts_load(request.user, page.object_list)
    milestones = contract_selectors.milestones_by_hold(_hold_of(payment).pk for payment in rows)
    receipts = [
        {
            "payment": payment,
            "kind": payment.receipt_kind,
            "number": receipt_number(payment.receipt_kind, payment.pk),
            "hold": _hold_of(payment),
            "milestone": milestones.get(_hold_of(payment).pk),
            "at": payment.succeeded_at if payment.receipt_kind == "charge" else payment.sent_at,
        }
        for payment in rows
    ]
    return render(request, "frontend/money/payments.html", {"page": page, "receipts": receipts, "query": ""})


@dataclass
class Receipt:
    kind: str
    payment: Charge | Refund | Transfer
    number: str
    title: str
    hold: object
    milestone: object
    site_name: str
    legal_name: str
    legal_address: str

    @property
    def payer_billing(self):
        """The payer's billing details, on the receipts of what they paid (charges, refunds) only:
        a payout receipt is the freelancer's and does not show the client's."""
        return self.hold.payer if self.kind != "transfer" else None

    @property
    def settlement(self):
        return None if self.kind == "charge" else self.payment.settlement

    @property
    def paid_at(self):
        return self.payment.succeeded_at if self.kind == "charge" else self.payment.sent_at


def _receipt(request: HttpRequest, kind: str, pk: int) -> Receipt:
    try:
        payment = escrow_selectors.receipt_for(kind=kind, pk=pk, viewer=request.user)
    except NotFound as exc:
        # An organisation's owners and finance members open the receipts of what it paid.
        payment = organisation_receipt_for(kind=kind, pk=pk, viewer=request.user)
        if payment is None:
            raise Http404(exc.message) from exc
    hold = _hold_of(payment)
    return Receipt(
        kind=kind,
        payment=payment,
        number=receipt_number(kind, pk),
        title=RECEIPT_TITLE[kind],
        hold=hold,
        milestone=contract_selectors.milestones_by_hold([hold.pk]).get(hold.pk),
        site_name=settings.SITE_NAME,
        legal_name=settings.PLATFORM_LEGAL_NAME,
        legal_address=settings.PLATFORM_LEGAL_ADDRESS,
    )


@login_required
def receipt(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return render(request, "frontend/money/receipt.html", {"receipt": _receipt(request, kind, pk)})


def _fetch_nothing(url: str, *args, **kwargs):
    """The PDF is made from the template and its stylesheet alone: it fetches no URL."""
    raise ValueError(f"Receipts fetch nothing ({url}).")


@login_required
def receipt_pdf(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The receipt's print variant as a PDF download."""
    found = _receipt(request, kind, pk)
    try:
        import weasyprint  # heavy (Pango); only this view needs it
    except OSError:  # the machine lacks Pango: say so, and point to the printable page
        messages.error(request, "PDF receipts are not available on this server; print this page instead.")
        return redirect("frontend:receipt", kind=kind, pk=pk)
    html = render_to_string("frontend/money/receipt_print.html", {"receipt": found}, request=request)
    css = render_to_string("frontend/money/receipt_pdf.css")
    css = weasyprint.CSS(string=css, url_fetcher=_fetch_nothing)
    pdf = weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[css])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{kind}-{pk}.pdf"'
    return response
