"""The processor's webhook endpoint: verify, store once, answer at once (a task processes it)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError

from .services.webhooks import webhook_receive


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        row, new = webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except DomainError as error:
        return JsonResponse({"error": {"code": error.code, "message": error.message}}, status=error.status)
    return JsonResponse({"received": row.event_id, "new": new})
