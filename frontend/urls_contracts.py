"""Pages: contracts (see frontend/views/)."""

urlpatterns: list = []
