"""Pages: an hourly contract's time and weeks (frontend/views/hourly_time.py)."""

from django.urls import path

from ..views import hourly_time

urlpatterns = [
    path("contracts/<int:pk>/time/", hourly_time.contract_time, name="contract_time"),
    path("contracts/<int:pk>/time/timer/", hourly_time.contract_timer, name="contract_timer"),
    path("contracts/<int:pk>/time/entries/<int:eid>/", hourly_time.time_entry, name="time_entry"),
    path("contracts/<int:pk>/weeks/<int:tid>/", hourly_time.contract_week, name="contract_week"),
]
