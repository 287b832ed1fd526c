"""What a user gets for a job and one of its files, by the API and by the pages, in one dict: the
visibility tests compare it with ``SEEN`` or ``HIDDEN``."""

from django.urls import reverse

from tests.support.api import as_user

SEEN = {"api job": 200, "api file": 200, "page": 200, "page file": 200}
HIDDEN = {"api job": 404, "api file": 404, "page": 404, "page file": 404}


def sees_job(user, job, brief) -> dict:
    api = as_user(user)
    return {
        "api job": api.get(f"/api/jobs/{job.pk}/").status_code,
        "api file": api.get(f"/api/attachments/{brief.pk}/file/").status_code,
        "page": api.get(reverse("frontend:job_detail", args=[job.pk])).status_code,
        "page file": api.get(reverse("frontend:attachment_file", args=[brief.pk])).status_code,
    }
