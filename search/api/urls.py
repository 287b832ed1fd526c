"""REST API routes for search (mounted under /api/): talent search, job search, and one's saved job
searches."""

from django.urls import path

from . import jobs, talent

app_name = "search_api"

urlpatterns = [
    path("search/talent/", talent.TalentSearchView.as_view(), name="talent"),
    path("search/talent/autocomplete/", talent.TalentAutocompleteView.as_view(), name="talent-autocomplete"),
    path("search/jobs/", jobs.JobSearchView.as_view(), name="jobs"),
    path("saved-searches/", jobs.SavedSearchListView.as_view(), name="saved-searches"),
    path("saved-searches/<int:pk>/", jobs.SavedSearchDetailView.as_view(), name="saved-search"),
]
