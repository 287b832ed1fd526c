"""Reviews: the parties' review form, reply and report (frontend/views/reviews.py), a freelancer's
reviews, the public page on the job success score, and staff's queue of reported reviews
(frontend/views/staff_reviews.py; a 404 for anyone but staff)."""

from django.urls import path

from ..views import reviews, staff_reviews

urlpatterns = [
    path("contracts/<int:pk>/review/", reviews.contract_review, name="contract_review"),
    path("reviews/<int:pk>/reply/", reviews.review_reply, name="review_reply"),
    path("reviews/<int:pk>/report/", reviews.review_report, name="review_report"),
    path("freelancers/<slug:handle>/reviews/", reviews.freelancer_reviews, name="freelancer_reviews"),
    path("job-success-score/", reviews.jss_help, name="jss_help"),
    path("staff/reviews/", staff_reviews.review_reports, name="staff_review_reports"),
    path("staff/reviews/<int:pk>/", staff_reviews.review_report, name="staff_review_report"),
]
