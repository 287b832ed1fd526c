"""REST API for notifications (mounted under /api/)."""

app_name = "messaging_api"

urlpatterns: list = []
