"""Health probes for load balancers and orchestrators (JSON, no session, no redirect), and the media
route of the embedded default."""

import posixpath

import structlog
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.static import serve

from .api import error_body
from .exceptions import CSRF_FAILED_MESSAGE
from .health import run_readiness_checks

logger = structlog.get_logger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency this profile uses answers; 503 names the ones that do not.

    The reasons go to the log and to staff on /ops/, not to the public: they can name hosts.
    """
    results = run_readiness_checks()
    for failed in (result for result in results if result.ok is False):
        logger.warning("readiness_check_failed", check=failed.name, detail=failed.detail)
    ready = all(result.ok is not False for result in results)
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {r.name: {"ok": r.ok, "elapsed_ms": r.elapsed_ms} for r in results},
        },
        status=200 if ready else 503,
    )


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploads, served by the process itself in the embedded default and tests (nginx in production);
    MEDIA_ROOT is read per request so a test may move it. The folders in ``settings.PRIVATE_MEDIA_DIRS``
    (job and proposal attachments) are never served here, however the path is spelled: it is checked
    after the same normalisation ``serve`` applies (``//``, ``./``, ``../``, decoded ``%2F``), and
    without regard to case (a case-insensitive disk would find the file)."""
    normalised = posixpath.normpath(path).lstrip("/")
    first = normalised.split("/", 1)[0].lower()
    if first in settings.PRIVATE_MEDIA_DIRS:
        raise Http404("Not a public file.")
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)


@csrf_exempt
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any /api/ path no route matches (``/api/contracts/-1/``, say, or one with a newline in it): the
    API's JSON 404, not a page. It changes nothing, so it needs no CSRF check (a POST to a mistyped
    endpoint learns that it is mistyped)."""
    return JsonResponse(error_body("not_found", "No such endpoint or object."), status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: JSON under /api/ (the API's error shape) and /_allauth/ (allauth's
    headless shape), Django's page everywhere else."""
    message = CSRF_FAILED_MESSAGE
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("csrf_failed", message), status=403)
    if request.path.startswith("/_allauth/"):
        return JsonResponse(
            {"status": 403, "errors": [{"code": "csrf_failed", "message": message}]}, status=403
        )
    return csrf.csrf_failure(request, reason)


@csrf_exempt
def phone_not_supported(request: HttpRequest) -> JsonResponse:
    """allauth's headless API always routes its phone-number endpoints, and without an adapter that
    stores phone numbers they raise (a 500). Accounts here have no phone number: every method answers
    404 in allauth's headless error shape. It changes nothing, so it needs no CSRF check."""
    return JsonResponse(
        {
            "status": 404,
            "errors": [{"code": "phone_not_supported", "message": "Accounts here have no phone number."}],
        },
        status=404,
    )
