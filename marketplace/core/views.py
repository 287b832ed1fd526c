"""Health probes for load balancers and orchestrators (JSON, no session, no redirect)."""

from dataclasses import asdict

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_readiness_checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency this profile uses answers; 503 names the ones that do not."""
    results = run_readiness_checks()
    ready = all(result.ok is not False for result in results)
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": {r.name: asdict(r) for r in results}},
        status=200 if ready else 503,
    )
