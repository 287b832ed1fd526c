"""Pages every account needs whatever its role: the dashboard, terms, and the suspension notice."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/terms.html", {"terms_version": settings.TERMS_VERSION})


@login_required
def suspended(request: HttpRequest) -> HttpResponse:
    if not request.user.is_suspended:
        return redirect("frontend:dashboard")
    return render(request, "frontend/suspended.html", status=403)
