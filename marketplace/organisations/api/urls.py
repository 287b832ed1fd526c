"""REST API routes for organisations, their members and invitations, and talent pools (under /api/).

Their names are in the ``api`` namespace, shared with the accounts app's routes
(``marketplace.config.urls`` mounts both lists under it), as they were before this app was split off.
"""

from django.urls import path

from . import worker
from .views import me, organisations

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
    # The worker's side of pools (api/worker.py).
    path("pools/", worker.PoolListView.as_view(), name="worker-pools"),
    path("pools/<int:pool_id>/", worker.PoolDetailView.as_view(), name="worker-pool"),
    path("pools/<int:pool_id>/apply/", worker.PoolApplyView.as_view(), name="worker-pool-apply"),
    path(
        "me/pool-memberships/<int:membership_id>/",
        worker.MyPoolMembershipDetailView.as_view(),
        name="my-pool-membership",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/credentials/",
        worker.MyCredentialsView.as_view(),
        name="my-pool-membership-credentials",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/agreements/<int:requirement_id>/sign/",
        worker.AgreementSignView.as_view(),
        name="my-pool-membership-sign",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/override-requests/",
        worker.OverrideRequestView.as_view(),
        name="my-pool-membership-override-requests",
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
