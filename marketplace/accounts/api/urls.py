"""REST API routes for accounts, profiles, organisations and pools (mounted under /api/)."""

from django.urls import path

from .views import me, organisations, profiles

app_name = "api"

urlpatterns = [
    path("me/", me.MeView.as_view(), name="me"),
    path("me/freelancer-profile/", me.MyFreelancerProfileView.as_view(), name="my-freelancer-profile"),
    path("me/freelancer-profile/avatar/", me.MyAvatarView.as_view(), name="my-avatar"),
    path("me/portfolio/", me.MyPortfolioView.as_view(), name="my-portfolio"),
    path("me/portfolio/<int:item_id>/", me.MyPortfolioItemView.as_view(), name="my-portfolio-item"),
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
    path("profiles/", profiles.ProfileListView.as_view(), name="profiles"),
    path("profiles/<slug:handle>/", profiles.ProfileDetailView.as_view(), name="profile"),
    path("skills/", profiles.SkillListView.as_view(), name="skills"),
    path("cities/", profiles.CityListView.as_view(), name="cities"),
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
