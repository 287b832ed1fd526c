import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a folder of the test's own, so a test can see that nothing was left behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
