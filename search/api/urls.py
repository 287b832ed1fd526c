"""REST API routes for search (under /api/): job search, and one's saved job searches."""

from django.urls import path

from . import views

app_name = "search_api"

urlpatterns = [
    path("search/jobs/", views.JobSearchView.as_view(), name="jobs"),
    path("saved-searches/", views.SavedSearchListView.as_view(), name="saved-searches"),
    path("saved-searches/<int:pk>/", views.SavedSearchDetailView.as_view(), name="saved-search"),
]
