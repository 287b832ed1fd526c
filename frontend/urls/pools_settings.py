"""Pages for an organisation's pools: the list, a new pool, a pool's settings, tiers and requirements."""

from django.urls import path

from ..views import pools_settings as views

_POOL = "organisations/<slug:slug>/pools/<int:pool_id>/"

urlpatterns = [
    path("organisations/<slug:slug>/pools/", views.pools, name="organisation_pools"),
    path("organisations/<slug:slug>/pools/new/", views.pool_new, name="organisation_pool_new"),
    path(_POOL, views.pool_settings, name="organisation_pool_settings"),
    path(f"{_POOL}tiers/", views.tier_add, name="organisation_pool_tier_add"),
    path(f"{_POOL}tiers/<int:tier_id>/", views.tier_edit, name="organisation_pool_tier_edit"),
    path(f"{_POOL}tiers/<int:tier_id>/remove/", views.tier_remove, name="organisation_pool_tier_remove"),
    path(f"{_POOL}requirements/new/", views.requirement_new, name="organisation_pool_requirement_new"),
    path(
        f"{_POOL}requirements/<int:requirement_id>/",
        views.requirement_edit,
        name="organisation_pool_requirement_edit",
    ),
    path(
        f"{_POOL}requirements/<int:requirement_id>/remove/",
        views.requirement_remove,
        name="organisation_pool_requirement_remove",
    ),
    path(
        f"{_POOL}requirements/<int:requirement_id>/move/",
        views.requirement_move,
        name="organisation_pool_requirement_move",
    ),
]
