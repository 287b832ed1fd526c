"""The public-list cache's versions and keys (marketplace.core.public_lists)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from marketplace.core.public_lists import PublicList, is_anonymous_request, public_list

pytestmark = pytest.mark.django_db

LIST = PublicList("tests.example")


def _key(path: str, **extra) -> str:
    return LIST.entry_key(RequestFactory().get(path, **extra), variant="test")


def test_parameters_are_ordered_by_name_and_a_repeated_one_keeps_its_order(settings):
    settings.ALLOWED_HOSTS = ["one.test", "two.test", "testserver"]
    assert _key("/x/?b=1&a=2") == _key("/x/?a=2&b=1")
    assert _key("/x/?a=1&a=2") != _key("/x/?a=2&a=1")
    assert _key("/x/?a=1") != _key("/x/?a=2")
    assert _key("/x/?a=1") != _key("/y/?a=1")
    assert _key("/x/", HTTP_HOST="one.test") != _key("/x/", HTTP_HOST="two.test")
    assert _key("/x/?q=a+b") == _key("/x/?q=a%20b")


def test_an_entry_counts_only_under_the_version_it_was_read_under():
    key = _key("/x/")
    version, payload = LIST.lookup(key)
    assert payload is None
    LIST.store(key, version, "rows")
    assert LIST.lookup(key) == (version, "rows")
    LIST.changed()
    assert LIST.lookup(key)[1] is None


def test_a_change_bumps_at_once_and_again_after_commit(django_capture_on_commit_callbacks):
    """A reader between the change and its commit may cache the rows from before the commit: the
    bump after commit makes that entry stale too."""
    key = _key("/x/")
    with django_capture_on_commit_callbacks(execute=True):
        LIST.changed()
        version, _ = LIST.lookup(key)  # a reader in between
        LIST.store(key, version, "rows read before the commit")
        assert LIST.lookup(key)[1] == "rows read before the commit"
    assert LIST.lookup(key)[1] is None


def test_a_lost_version_never_revives_an_old_entry():
    key = _key("/x/")
    version, _ = LIST.lookup(key)
    LIST.store(key, version, "rows")
    cache.delete(LIST.version_key)  # evicted
    assert LIST.lookup(key)[1] is None
    cache.delete(LIST.version_key)
    LIST.bump()
    assert LIST.lookup(key)[1] is None


def test_the_apps_declare_their_lists():
    assert public_list("jobs.find_work").name == "jobs.find_work"
    assert public_list("accounts.profiles").name == "accounts.profiles"


def test_only_identity_free_gets_count_as_anonymous(settings):
    factory = RequestFactory()
    assert is_anonymous_request(factory.get("/"))
    assert not is_anonymous_request(factory.post("/"))
    assert not is_anonymous_request(factory.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x"))
    assert not is_anonymous_request(factory.get("/", HTTP_COOKIE="messages=x"))
    assert not is_anonymous_request(factory.get("/", HTTP_AUTHORIZATION="Bearer x"))
    assert not is_anonymous_request(factory.get("/", HTTP_X_API_KEY="x"))
    settings.PUBLIC_LIST_CACHE_SECONDS = 0
    assert not is_anonymous_request(factory.get("/"))
