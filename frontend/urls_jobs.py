"""Pages: jobs (see frontend/views/)."""

urlpatterns: list = []
