"""REST API routes for accounts, profiles, organisations and pools."""

urlpatterns: list = []
