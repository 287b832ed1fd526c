"""The client's review of an hourly week (frontend/views/hourly_review.py); disputing a week is in
``disputes.py``."""

from django.urls import path

from ..views import hourly_review

urlpatterns = [
    path("timesheets/<int:pk>/approve/", hourly_review.week_approve, name="week_approve"),
]
