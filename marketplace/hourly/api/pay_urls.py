"""REST API routes for paying a week whose charge failed (under /api/)."""

from django.urls import path

from .pay import TimesheetPayConfirmView, TimesheetPayView

app_name = "hourly_pay_api"

urlpatterns = [
    path("timesheets/<int:pk>/pay/", TimesheetPayView.as_view(), name="timesheet-pay"),
    path("timesheets/<int:pk>/pay/confirm/", TimesheetPayConfirmView.as_view(), name="timesheet-pay-confirm"),
]
