from django.urls import path

from . import views

urlpatterns = [
    path("statements/", views.MyStatementView.as_view(), name="my-statement"),
    path(
        "organisations/<slug:slug>/statements/",
        views.OrganisationStatementView.as_view(),
        name="organisation-statement",
    ),
    path("earnings/<int:year>/", views.MyEarningsYearView.as_view(), name="my-earnings-year"),
]
