"""REST API routes for one's account and profiles, profiles, skills and cities (mounted under /api/).

Their names are in the ``api`` namespace, shared with the organisations app's routes
(``marketplace.config.urls`` mounts both lists under it), as they were before that app was split off.
"""

from django.urls import path

from .views import me, profiles

urlpatterns = [
    path("me/", me.MeView.as_view(), name="me"),
    path("me/freelancer-profile/", me.MyFreelancerProfileView.as_view(), name="my-freelancer-profile"),
    path("me/freelancer-profile/avatar/", me.MyAvatarView.as_view(), name="my-avatar"),
    path("me/portfolio/", me.MyPortfolioView.as_view(), name="my-portfolio"),
    path("me/portfolio/<int:item_id>/", me.MyPortfolioItemView.as_view(), name="my-portfolio-item"),
    path("profiles/", profiles.ProfileListView.as_view(), name="profiles"),
    path("profiles/<slug:handle>/", profiles.ProfileDetailView.as_view(), name="profile"),
    path("skills/", profiles.SkillListView.as_view(), name="skills"),
    path("cities/", profiles.CityListView.as_view(), name="cities"),
]
