"""Pages for organisations, invitations, talent pools and staff tools."""

urlpatterns: list = []
