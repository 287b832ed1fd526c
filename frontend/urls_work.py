"""Pages: work (see frontend/views/)."""

urlpatterns: list = []
