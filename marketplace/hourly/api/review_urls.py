"""REST API routes of a week's review (under /api/)."""

from django.urls import path

from .review import TimesheetApproveView

app_name = "hourly_review_api"

urlpatterns = [
    path("timesheets/<int:pk>/approve/", TimesheetApproveView.as_view(), name="timesheet-approve"),
]
