"""Reporting to staff, blocking, and the staff's moderation queue."""

from django.urls import path

from ..views import moderation, staff_moderation

urlpatterns = [
    path("report/job/<int:pk>/", moderation.report_job, name="report_job"),
    path("report/profile/<slug:handle>/", moderation.report_profile, name="report_profile"),
    path("report/message/<int:pk>/", moderation.report_message, name="report_message"),
    path("freelancers/<slug:handle>/block/", moderation.profile_block, name="profile_block"),
    path("freelancers/<slug:handle>/unblock/", moderation.profile_unblock, name="profile_unblock"),
    path("staff/moderation/", staff_moderation.moderation_queue, name="staff_moderation"),
    path(
        "staff/moderation/reports/<int:pk>/action/",
        staff_moderation.report_action,
        name="staff_report_action",
    ),
    path(
        "staff/moderation/reports/<int:pk>/dismiss/",
        staff_moderation.report_dismiss,
        name="staff_report_dismiss",
    ),
    path(
        "staff/moderation/messages/<int:pk>/hide/",
        staff_moderation.message_hide,
        name="staff_message_hide",
    ),
    path(
        "staff/moderation/messages/<int:pk>/clear/",
        staff_moderation.message_clear,
        name="staff_message_clear",
    ),
]
