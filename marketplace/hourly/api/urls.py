"""REST API routes of hourly contracts' time and weeks (under /api/)."""

from django.urls import path

from . import views

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
]
