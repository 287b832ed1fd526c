"""REST API routes for jobs, attachments, invitations, proposals, offers and templates (under /api/)."""

from django.urls import path

from .views import jobs, offers, proposals

app_name = "jobs_api"

urlpatterns = [
    path("jobs/", jobs.JobListView.as_view(), name="jobs"),
    path("jobs/mine/", jobs.MyJobListView.as_view(), name="my-jobs"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job"),
    path("jobs/<int:pk>/publish/", jobs.JobPublishView.as_view(), name="job-publish"),
    path("jobs/<int:pk>/close/", jobs.JobCloseView.as_view(), name="job-close"),
    path(
        "jobs/<int:pk>/save-as-template/", jobs.JobSaveAsTemplateView.as_view(), name="job-save-as-template"
    ),
    path("jobs/<int:pk>/attachments/", jobs.JobAttachmentListView.as_view(), name="job-attachments"),
    path("attachments/<int:pk>/", jobs.AttachmentDetailView.as_view(), name="attachment"),
    path("attachments/<int:pk>/file/", jobs.AttachmentFileView.as_view(), name="attachment-file"),
    path("job-templates/", jobs.JobTemplateListView.as_view(), name="job-templates"),
    path("job-templates/<int:pk>/", jobs.JobTemplateDetailView.as_view(), name="job-template"),
    path("jobs/<int:pk>/invitations/", proposals.JobInvitationListView.as_view(), name="job-invitations"),
    path(
        "jobs/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        proposals.JobInvitationWithdrawView.as_view(),
        name="job-invitation-withdraw",
    ),
    path("job-invitations/", proposals.MyJobInvitationListView.as_view(), name="my-job-invitations"),
    path(
        "job-invitations/<int:pk>/decline/",
        proposals.JobInvitationDeclineView.as_view(),
        name="job-invitation-decline",
    ),
    path("jobs/<int:pk>/proposals/", proposals.JobProposalListView.as_view(), name="job-proposals"),
    path("proposals/", proposals.MyProposalListView.as_view(), name="my-proposals"),
    path("proposals/<int:pk>/", proposals.ProposalDetailView.as_view(), name="proposal"),
    path("proposals/<int:pk>/withdraw/", proposals.ProposalWithdrawView.as_view(), name="proposal-withdraw"),
    path(
        "proposals/<int:pk>/shortlist/", proposals.ProposalShortlistView.as_view(), name="proposal-shortlist"
    ),
    path("proposals/<int:pk>/archive/", proposals.ProposalArchiveView.as_view(), name="proposal-archive"),
    path("proposals/<int:pk>/decline/", proposals.ProposalDeclineView.as_view(), name="proposal-decline"),
    path(
        "proposals/<int:pk>/attachments/",
        proposals.ProposalAttachmentListView.as_view(),
        name="proposal-attachments",
    ),
    path("proposals/<int:pk>/offers/", offers.ProposalOfferView.as_view(), name="proposal-offers"),
    path("offers/", offers.OfferListView.as_view(), name="offers"),
    path("offers/fee-preview/", offers.FeePreviewView.as_view(), name="offer-fee-preview"),
    path("offers/<int:pk>/", offers.OfferDetailView.as_view(), name="offer"),
    path("offers/<int:pk>/decline/", offers.OfferDeclineView.as_view(), name="offer-decline"),
    path("offers/<int:pk>/withdraw/", offers.OfferWithdrawView.as_view(), name="offer-withdraw"),
]
