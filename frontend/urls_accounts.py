"""Pages for one's own account and profiles, and public profiles (frontend/views/profiles.py …)."""

urlpatterns: list = []
