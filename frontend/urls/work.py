"""Pages: the freelancer's side of jobs — find work, a job with the proposal form, my proposals,
invitations — and offers, for both sides (frontend/views/work.py, proposals.py, offers.py)."""

from django.urls import path

from ..views import attachments, job_search, offers, proposals, work

urlpatterns = [
    path("jobs/", job_search.find_work, name="find_work"),
    path("jobs/saved/", job_search.saved_searches, name="saved_searches"),
    path("jobs/saved/new/", job_search.saved_search_new, name="saved_search_new"),
    path("jobs/saved/<int:pk>/rename/", job_search.saved_search_rename, name="saved_search_rename"),
    path("jobs/saved/<int:pk>/alerts/", job_search.saved_search_alerts, name="saved_search_alerts"),
    path("jobs/saved/<int:pk>/delete/", job_search.saved_search_remove, name="saved_search_remove"),
    path("jobs/<int:pk>/", work.job_detail, name="job_detail"),
    path("jobs/<int:pk>/propose/", proposals.proposal_new, name="proposal_new"),
    path("proposals/", proposals.my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/remove/",
        proposals.proposal_attachment_remove,
        name="proposal_attachment_remove",
    ),
    path("files/<int:pk>/", attachments.attachment_file, name="attachment_file"),
    path("job-invitations/", work.my_invitations, name="my_invitations"),
    path("job-invitations/<int:pk>/decline/", work.invitation_decline, name="invitation_decline"),
    path("offers/", offers.my_offers, name="my_offers"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/accept/", offers.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", offers.offer_decline, name="offer_decline"),
    path("offers/<int:pk>/withdraw/", offers.offer_withdraw, name="offer_withdraw"),
]
