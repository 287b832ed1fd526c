"""Pages: the client's side of jobs (frontend/views/jobs_client*.py, offers_client.py).

Fixed paths (jobs/new/, jobs/mine/, jobs/templates/) come before the freelancer's jobs/<pk>/."""

from django.urls import path

from ..views import jobs_client, jobs_client_page, offers_client

urlpatterns = [
    path("jobs/new/", jobs_client.job_new, name="job_new"),
    path("jobs/mine/", jobs_client.my_jobs, name="my_jobs"),
    path("jobs/templates/", jobs_client.job_templates, name="job_templates"),
    path("jobs/templates/<int:pk>/delete/", jobs_client.job_template_delete, name="job_template_delete"),
    path("jobs/<int:pk>/edit/", jobs_client.job_edit, name="job_edit"),
    path(
        "jobs/<int:pk>/attachments/<int:attachment_pk>/remove/",
        jobs_client.job_attachment_remove,
        name="job_attachment_remove",
    ),
    path("jobs/<int:pk>/proposals/", jobs_client_page.job_proposals, name="job_proposals"),
    path("jobs/<int:pk>/publish/", jobs_client_page.job_publish, name="job_publish"),
    path("jobs/<int:pk>/close/", jobs_client_page.job_close, name="job_close"),
    path("jobs/<int:pk>/save-template/", jobs_client_page.job_save_template, name="job_save_template"),
    path("jobs/<int:pk>/invite/", jobs_client_page.job_invite, name="job_invite"),
    path(
        "jobs/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        jobs_client_page.job_invitation_withdraw,
        name="job_invitation_withdraw",
    ),
    path("proposals/<int:pk>/shortlist/", jobs_client_page.proposal_shortlist, name="proposal_shortlist"),
    path("proposals/<int:pk>/archive/", jobs_client_page.proposal_archive, name="proposal_archive"),
    path("proposals/<int:pk>/decline/", jobs_client_page.proposal_decline, name="proposal_decline"),
    path("proposals/<int:pk>/offer/", offers_client.offer_new, name="offer_new"),
    path("proposals/<int:pk>/offer/preview/", offers_client.offer_fee_preview, name="offer_fee_preview"),
]
