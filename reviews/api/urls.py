"""REST API routes for reviews (under /api/): a party's, a freelancer's published ones, and staff's
moderation of reported reviews."""

from django.urls import path

from .views import moderation, reviews

app_name = "reviews_api"

urlpatterns = [
    path("reviews/waiting/", reviews.WaitingView.as_view(), name="waiting"),
    path("reviews/<int:pk>/reply/", reviews.ReplyView.as_view(), name="review-reply"),
    path("reviews/<int:pk>/reports/", reviews.ReportView.as_view(), name="review-reports"),
    path("contracts/<int:pk>/reviews/", reviews.ContractReviewsView.as_view(), name="contract-reviews"),
    path(
        "freelancers/<slug:handle>/reviews/",
        reviews.FreelancerReviewsView.as_view(),
        name="freelancer-reviews",
    ),
    path("staff/review-reports/", moderation.QueueView.as_view(), name="staff-queue"),
    path("staff/review-reports/<int:pk>/remove/", moderation.RemoveView.as_view(), name="staff-remove"),
    path("staff/review-reports/<int:pk>/dismiss/", moderation.DismissView.as_view(), name="staff-dismiss"),
]
