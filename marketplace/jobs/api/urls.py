"""REST API for jobs, invitations, proposals, offers and contracts (mounted under /api/)."""

app_name = "jobs_api"

urlpatterns: list = []
