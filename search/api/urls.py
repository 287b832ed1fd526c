"""REST API routes for search (mounted under /api/)."""

from django.urls import path

from . import talent

app_name = "search_api"

urlpatterns = [
    path("search/talent/", talent.TalentSearchView.as_view(), name="talent"),
    path("search/talent/autocomplete/", talent.TalentAutocompleteView.as_view(), name="talent-autocomplete"),
]
