"""Reviews, for the parties of an ended contract: the review form (and one's own review once sent,
hidden until both sides have reviewed or the window closes), the reviewee's reply, a report to staff;
a freelancer's published reviews, paged; and the public page on how the job success score and the
client scorecard are worked out.

Who may act comes first (404 for someone who may not see the contract or review, 403 for a side
that may not act), then the form (400), then the service's rules (409): a refusal of who may act is
the refusal page, any other shows the page again with the reason."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.accounts import selectors as account_selectors
from marketplace.contracts.models import Contract
from marketplace.contracts.selectors import contract_for_viewer
from marketplace.core.exceptions import DomainError, NotFound
from reviews import selectors, services
from reviews.models import Review
from reviews.permissions import require_side
from reviews.selectors import freelancer_reputation_of

from ..forms.jobs import add_service_error
from ..forms.reviews import ReviewForm, ReviewReportForm
from ..refusals import REFUSALS
from ..review_facts import formula_facts, other_party_name, with_people
from .helpers import paginate, query_without_page, render_page, safe_next


def _visible(find, **kwargs):
    try:
        return find(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _party_contract(request: HttpRequest, pk: int) -> tuple[Contract, str]:
    """The contract and the viewer's side; a 404 for anyone who is not a party (a client-side
    member whose role does not hire is refused, 403)."""
    contract = _visible(contract_for_viewer, pk=pk, viewer=request.user)
    try:
        return contract, require_side(request.user, contract)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def contract_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review form while the viewer's side may review; else its review (or why it may not)."""
    contract, side = _party_contract(request, pk)
    reviews = selectors.contract_reviews_for(request.user, contract)
    eligibility = reviews.eligibility
    other = other_party_name(contract, side)
    form, status = None, 200
    if eligibility.can_review or request.method == "POST":
        data = request.POST if request.method == "POST" else None
        form = ReviewForm(data, direction=eligibility.direction, reviewee_name=other)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.review_submit(acting_user=request.user, contract=contract, **form.submission())
            except REFUSALS:
                raise
            except DomainError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    f"Thank you: your review is sent. {other} reads it once both of you have "
                    "reviewed or the review window closes.",
                )
                return redirect(reverse("frontend:contract_review", args=[contract.pk]))
    context = {
        "contract": contract,
        "side": side,
        "other": other,
        "eligibility": eligibility,
        "mine": reviews.mine,
        "theirs": reviews.theirs,
        "form": form,
    }
    return render_page(request, "frontend/reviews/review.html", context, status=status)


def _back(request: HttpRequest, review: Review) -> str:
    return safe_next(request) or reverse("frontend:contract_detail", args=[review.contract_id]) + "#reviews"


@login_required
@require_POST
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewee's public reply. The service judges who may reply before the text; a refused
    reply comes back on a page of its own, with the text kept."""
    review = _visible(selectors.review_for_viewer, pk=pk, viewer=request.user)
    text = request.POST.get("text", "")
    try:
        services.review_reply(acting_user=request.user, review=review, text=text)
    except REFUSALS:
        raise
    except DomainError as exc:
        context = {"review": review, "text": text, "error": exc, "next": _back(request, review)}
        return render_page(request, "frontend/reviews/reply.html", context, status=exc.status)
    messages.success(request, "Your reply is published under the review.")
    return redirect(_back(request, review))


@login_required
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a published review to staff: either side of its contract."""
    review = _visible(selectors.review_for_viewer, pk=pk, viewer=request.user)
    contract, _side = _party_contract(request, review.contract_id)
    back = _back(request, review)
    form, status = ReviewReportForm(request.POST or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.review_report(acting_user=request.user, review=review, **form.cleaned_data)
            except REFUSALS:
                raise
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, "Thank you: staff will look at the review.")
                return redirect(back)
    context = {
        "noun": "review",
        "title": review.author.get_full_name(),
        "quote": review.text,
        "form": form,
        "back": back,
        "contract": contract,
    }
    return render(request, "frontend/moderation/report.html", context, status=status)


def freelancer_reviews(request: HttpRequest, handle: str) -> HttpResponse:
    """All of a freelancer's published reviews, newest first, 20 a page (the profile's visibility)."""
    profile = _visible(account_selectors.profile_for_viewer, handle=handle, viewer=request.user)
    reviews = with_people(selectors.published_reviews_of_freelancer(profile.user))
    context = {
        "profile": profile,
        "page": paginate(request, reviews),
        "query": query_without_page(request),
        "reputation": freelancer_reputation_of(profile.user),
        "is_owner": request.user.is_authenticated and request.user.pk == profile.user_id,
        "window_days": settings.REVIEW_WINDOW_DAYS,
    }
    return render(request, "frontend/reviews/list.html", context)


def jss_help(request: HttpRequest) -> HttpResponse:
    """How the job success score and the client scorecard are worked out, with this site's settings."""
    context = {
        "period_months": settings.JSS_PERIOD_MONTHS,
        "long_period_months": settings.JSS_LONG_PERIOD_MONTHS,
        "long_period_below": settings.JSS_LONG_PERIOD_BELOW,
        "min_contracts": settings.JSS_MIN_ENDED_CONTRACTS,
        "window_days": settings.REVIEW_WINDOW_DAYS,
        "daily_cap": settings.PROPOSAL_DAILY_CAP,
        "cap_tiers": settings.PROPOSAL_DAILY_CAP_BY_JSS,
        **formula_facts(),
    }
    return render(request, "frontend/reviews/jss.html", context)
