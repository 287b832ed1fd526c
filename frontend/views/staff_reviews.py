"""Staff's queue of reported reviews (/staff/reviews/): open reports, oldest first, 20 a page, each
with the review and its decisions; and a report's own page (/staff/reviews/<id>/) with the review in
full (its private note too: it was written for the platform) and every report of it. Staff remove
the review (with a reason its author and reviewee read: it stops showing and counting anywhere) or
dismiss the report (the review stays). Anyone but staff gets a 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from marketplace.core.exceptions import DomainError
from reviews import selectors, services
from reviews.models import ReviewReport

from ..forms.jobs import add_service_error
from ..forms.reviews import ReportDecisionForm
from ..refusals import REFUSALS
from .helpers import paginate, query_without_page, render_page, staff_only

DONE = {
    ReportDecisionForm.REMOVE: "The review is removed; its reports are closed and both sides are told why.",
    ReportDecisionForm.DISMISS: "Report dismissed: the review stays.",
}


@staff_only
def review_reports(request: HttpRequest) -> HttpResponse:
    """The open reports; each row's decision is posted to the report's page (a refusal shows there)."""
    context = {
        "page": paginate(request, selectors.review_reports_queue()),
        "query": query_without_page(request),
    }
    return render_page(request, "frontend/staff/review_reports.html", context)


def _decide(request: HttpRequest, report: ReviewReport, form: ReportDecisionForm) -> int | None:
    """Run the form's decision on ``report``: None once done, else the status to show it again with."""
    if not form.is_valid():
        return 400
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["action"] == ReportDecisionForm.REMOVE:
            services.review_remove(acting_user=request.user, review=report.review, reason=note)
        else:
            services.report_dismiss(acting_user=request.user, report=report, note=note)
    except REFUSALS:
        raise
    except DomainError as exc:
        add_service_error(form, exc)
        return exc.status
    messages.success(request, DONE[form.cleaned_data["action"]])
    return None


@staff_only
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A report with its review; POST ``action`` (remove | dismiss) and ``note`` decides it."""
    report = (
        ReviewReport.objects.select_related(
            "review", "review__contract", "review__author", "review__reviewee", "review__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    form, status = ReportDecisionForm(request.POST or None), 200
    if request.method == "POST":
        status = _decide(request, report, form)
        if status is None:
            return redirect("frontend:staff_review_reports")
    context = {
        "report": report,
        "review": report.review,
        "reports": report.review.reports.select_related("reporter", "resolved_by").order_by("created_at"),
        "form": form,
    }
    return render_page(request, "frontend/staff/review_report.html", context, status=status)
