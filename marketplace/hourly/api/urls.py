"""REST API routes of hourly contracts' time and weeks: logging, paying a week whose charge failed,
approving a week (under /api/)."""

from django.urls import path

from . import views
from .pay import TimesheetPayConfirmView, TimesheetPayView
from .review import TimesheetApproveView

app_name = "hourly_api"

urlpatterns = [
    path("contracts/<int:pk>/time-entries/", views.TimeEntryListView.as_view(), name="time-entries"),
    path(
        "contracts/<int:pk>/time-entries/<int:eid>/", views.TimeEntryDetailView.as_view(), name="time-entry"
    ),
    path("contracts/<int:pk>/timer/", views.TimerView.as_view(), name="timer"),
    path("contracts/<int:pk>/timer/stop/", views.TimerStopView.as_view(), name="timer-stop"),
    path("contracts/<int:pk>/timesheets/", views.TimesheetListView.as_view(), name="timesheets"),
    path("timesheets/<int:pk>/", views.TimesheetDetailView.as_view(), name="timesheet"),
    path("timesheets/<int:pk>/pay/", TimesheetPayView.as_view(), name="timesheet-pay"),
    path("timesheets/<int:pk>/pay/confirm/", TimesheetPayConfirmView.as_view(), name="timesheet-pay-confirm"),
    path("timesheets/<int:pk>/approve/", TimesheetApproveView.as_view(), name="timesheet-approve"),
]
