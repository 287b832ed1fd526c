import pytest


@pytest.fixture(autouse=True)
def _linked_pages(settings):
    """Notification links reverse the job pages' names; see ``tests/messaging/urls.py``."""
    settings.ROOT_URLCONF = "tests.messaging.urls"
