"""Statements (marketplace.statements): a person's at /money/statement/, an organisation's for its
owners and finance members at /organisations/<slug>/statement/ (``view_statements``), each as a
printable page, a PDF (WeasyPrint, as the receipts: frontend.views.money) and a streamed CSV; and a
freelancer's yearly earnings at /money/earnings/<year>/ (page, PDF, CSV, JSON for tax tools).

Dates are the viewer's time zone (``User.timezone``). A bad range shows the form's error on the
page (400) and answers 400 to the downloads."""

import csv
import json
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from marketplace.core.exceptions import InvalidInput
from marketplace.statements import exports
from marketplace.statements import selectors as statements
from marketplace.statements.ranges import MAX_DAYS, parse_range, zone_of

from .helpers import render_page
from .money import _fetch_nothing
from .organisations import organisation_page

FIRST_YEAR = 2000


class _Echo:
    """A file that hands back what is written: csv.writer over it makes one row's text at a time."""

    def write(self, value: str) -> str:
        return value


def _csv_response(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf(request: HttpRequest, template: str, context: dict, filename: str, fallback: str) -> HttpResponse:
    try:
        import weasyprint  # heavy (Pango); only the PDFs need it
    except OSError:
        messages.error(request, "PDFs are not available on this server; print this page instead.")
        return redirect(fallback)
    html = render_to_string(template, context, request=request)
    css = render_to_string("frontend/money/statement_pdf.css")
    css = weasyprint.CSS(string=css, url_fetcher=_fetch_nothing)
    pdf = weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[css])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _period(request: HttpRequest):
    zone = zone_of(request.user)
    today = timezone.localdate(timezone=ZoneInfo(zone))
    return parse_range(request.GET.get("from"), request.GET.get("to"), zone=zone, today=today)


def _statement_answer(
    request: HttpRequest, fmt: str, build, *, base: str, filename: str, extra: dict, template: str
) -> HttpResponse:
    """The page, PDF or CSV of the statement ``build(period)`` makes; a bad range is the page's form
    error (400), or a plain 400 for a download."""
    try:
        period = _period(request)
    except InvalidInput as exc:
        if fmt != "page":
            return HttpResponse(f"{exc.code}: {exc.message}", status=400, content_type="text/plain")
        context = {
            **extra,
            "statement": None,
            "error": exc,
            "form": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
            "max_days": MAX_DAYS,
            "base": base,
            "statement_zone": zone_of(request.user),
        }
        return render_page(request, template, context, status=400)
    statement = build(period)
    name = f"{filename}-{period.start}-{period.end}"
    if fmt == "csv":
        return _csv_response(exports.statement_rows(statement), f"{name}.csv")
    query = f"?from={period.start}&to={period.end}"
    context = {
        **extra,
        "statement": statement,
        "form": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "query": query,
        "max_days": MAX_DAYS,
        "base": base,
        "statement_zone": period.zone,
    }
    if fmt == "pdf":
        return _pdf(request, "frontend/money/statement_print.html", context, f"{name}.pdf", base + query)
    return render_page(request, template, context)


def _my_statement(request: HttpRequest, fmt: str) -> HttpResponse:
    return _statement_answer(
        request,
        fmt,
        lambda period: statements.statement_of_user(request.user, period),
        base=reverse("frontend:statement"),
        filename="statement",
        extra={"organisation": None},
        template="frontend/money/statement.html",
    )


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    return _my_statement(request, "page")


@login_required
def statement_pdf(request: HttpRequest) -> HttpResponse:
    return _my_statement(request, "pdf")


@login_required
def statement_csv(request: HttpRequest) -> HttpResponse:
    return _my_statement(request, "csv")


def _org_statement(request: HttpRequest, shell: dict, fmt: str) -> HttpResponse:
    organisation = shell["organisation"]
    return _statement_answer(
        request,
        fmt,
        lambda period: statements.statement_of_organisation(organisation, period),
        base=reverse("frontend:organisation_statement", args=[organisation.slug]),
        filename=f"statement-{organisation.slug}",
        extra={**shell, "organisation": organisation},
        template="frontend/organisations/statement.html",
    )


@organisation_page("statement", needs="view_statements")
def organisation_statement(request: HttpRequest, shell: dict) -> HttpResponse:
    return _org_statement(request, shell, "page")


@organisation_page("statement", needs="view_statements")
def organisation_statement_pdf(request: HttpRequest, shell: dict) -> HttpResponse:
    return _org_statement(request, shell, "pdf")


@organisation_page("statement", needs="view_statements")
def organisation_statement_csv(request: HttpRequest, shell: dict) -> HttpResponse:
    return _org_statement(request, shell, "csv")


# ---- the yearly earnings statement -----------------------------------------------------------


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.now().year:
        raise Http404("No earnings statement for that year.")
    return year


def _earnings_context(request: HttpRequest, year: int) -> dict:
    this_year = timezone.now().year
    return {
        "earnings": statements.yearly_earnings(request.user, _year(year)),
        "years": list(range(this_year, max(FIRST_YEAR, this_year - 5) - 1, -1)),
    }


@login_required
def earnings_year(request: HttpRequest, year: int) -> HttpResponse:
    return render_page(request, "frontend/money/earnings_year.html", _earnings_context(request, year))


@login_required
def earnings_year_pdf(request: HttpRequest, year: int) -> HttpResponse:
    context = _earnings_context(request, year)
    fallback = reverse("frontend:earnings_year", args=[year])
    return _pdf(request, "frontend/money/earnings_year_print.html", context, f"earnings-{year}.pdf", fallback)


@login_required
def earnings_year_csv(request: HttpRequest, year: int) -> HttpResponse:
    earnings = statements.yearly_earnings(request.user, _year(year))
    return _csv_response(exports.earnings_rows(earnings), f"earnings-{year}.csv")


@login_required
def earnings_year_json(request: HttpRequest, year: int) -> HttpResponse:
    earnings = statements.yearly_earnings(request.user, _year(year))
    body = json.dumps(exports.earnings_data(earnings), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="earnings-{year}.json"'
    return response
