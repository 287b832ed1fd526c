"""Pages: paying an hourly week whose charge failed (frontend/views/hourly_billing.py)."""

from django.urls import path

from ..views import hourly_billing

week = "contracts/<int:pk>/weeks/<int:week_pk>/"
urlpatterns = [
    path(f"{week}pay/", hourly_billing.hourly_week_pay, name="hourly_week_pay"),
    path(f"{week}pay/intent/", hourly_billing.hourly_week_pay_intent, name="hourly_week_pay_intent"),
    path(f"{week}pay/confirm/", hourly_billing.hourly_week_pay_confirm, name="hourly_week_pay_confirm"),
]
