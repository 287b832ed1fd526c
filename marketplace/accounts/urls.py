"""Routes of the accounts app outside the API: the checked route of profile images."""

from django.urls import path

from . import views

urlpatterns = [
    path("images/<uuid:uuid>/<str:name>", views.image_file, name="image_file"),
]
