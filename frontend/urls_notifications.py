"""Pages: notifications (see frontend/views/)."""

urlpatterns: list = []
