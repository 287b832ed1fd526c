"""REST API routes for organisations, their members and invitations, and talent pools (under /api/).

Their names are in the ``api`` namespace, shared with the accounts app's routes
(``marketplace.config.urls`` mounts both lists under it), as they were before this app was split off.
"""

from django.urls import path

from .views import me, organisations, pool_settings

urlpatterns = [
    path("me/pool-memberships/", me.MyPoolMembershipsView.as_view(), name="my-pool-memberships"),
    path(
        "me/pool-memberships/<int:membership_id>/accept/",
        me.MyPoolMembershipAcceptView.as_view(),
        name="my-pool-membership-accept",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/decline/",
        me.MyPoolMembershipDeclineView.as_view(),
        name="my-pool-membership-decline",
    ),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<slug:slug>/", organisations.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<slug:slug>/members/", organisations.MemberListView.as_view(), name="members"),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        organisations.MemberDetailView.as_view(),
        name="member",
    ),
    path(
        "organisations/<slug:slug>/invitations/",
        organisations.InvitationListView.as_view(),
        name="invitations",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/",
        organisations.InvitationDetailView.as_view(),
        name="invitation",
    ),
    path("organisations/<slug:slug>/pool/", organisations.PoolView.as_view(), name="pool"),
    *[
        path(f"organisations/<slug:slug>/pools/{route}", view.as_view(), name=name)
        for route, view, name in (
            ("", pool_settings.PoolListView, "pools"),
            ("<int:pool_id>/", pool_settings.PoolDetailView, "pool-settings"),
            ("<int:pool_id>/tiers/", pool_settings.TierListView, "pool-tiers"),
            ("<int:pool_id>/tiers/<int:tier_id>/", pool_settings.TierDetailView, "pool-tier"),
            ("<int:pool_id>/requirements/", pool_settings.RequirementListView, "pool-requirements"),
            (
                "<int:pool_id>/requirements/reorder/",
                pool_settings.RequirementOrderView,
                "pool-requirements-reorder",
            ),
            (
                "<int:pool_id>/requirements/<int:requirement_id>/",
                pool_settings.RequirementDetailView,
                "pool-requirement",
            ),
        )
    ],
    path(
        "invitations/<str:token>/accept/",
        organisations.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        organisations.InvitationDeclineView.as_view(),
        name="invitation-decline",
    ),
    path(
        "pool-memberships/<int:membership_id>/end/",
        organisations.PoolMembershipEndView.as_view(),
        name="pool-membership-end",
    ),
]
