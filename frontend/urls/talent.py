"""Pages: find talent (frontend/views/talent.py). Under /talent/, apart from /freelancers/<handle>/."""

from django.urls import path

from ..views import talent

urlpatterns = [
    path("talent/", talent.talent, name="talent"),
    path("talent/suggest", talent.talent_suggest, name="talent_suggest"),
    path("talent/cities", talent.talent_cities, name="talent_cities"),
    path("talent/invite/", talent.talent_invite, name="talent_invite"),
]
