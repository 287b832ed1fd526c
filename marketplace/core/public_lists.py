"""A short-lived cache of the public lists as anonymous visitors see them (find work, profiles).

Only anonymous requests are served from it or written to it: a request with a session cookie, an
``Authorization`` or API-key header, a pending flash message or a logged-in user always goes to the
view. Each query string (normalised: parameters ordered by name, a repeated name keeping its order)
and each variant (the API's negotiated media type, the page's htmx headers) is its own entry.

Invalidation is by version: every ``PublicList`` has a version number in the cache, and an entry
stores the version it was computed under, read *before* the view read the database. A change bumps
the version at once and again after its transaction commits (``PublicList.changed``), so an entry
computed from rows read before the commit can never pass for current: its version is older. One
lookup is one round trip (the version and the entry in one ``get_many``). Entries also expire after
``PUBLIC_LIST_CACHE_SECONDS``, which bounds how stale a change that bypasses the invalidation
(a ``QuerySet.update()`` nobody announced) can leave a list. 0 turns the cache off.

The apps declare their lists and what changes them (``jobs.public_lists``, ``accounts.public_lists``);
the views use ``cached_api_list`` (here) or the page decorator of ``frontend.views.helpers``.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

KEY_PREFIX = "public-list"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage

_lists: dict[str, "PublicList"] = {}


def cache_seconds() -> int:
    return int(getattr(settings, "PUBLIC_LIST_CACHE_SECONDS", 0))


class PublicList:
    """One public list's version and entries. Declare each once, at import (names are unique)."""

    def __init__(self, name: str):
        if name in _lists:
            raise ValueError(f"A public list named {name!r} is already declared.")
        self.name = name
        self.version_key = f"{KEY_PREFIX}:{name}:version"
        _lists[name] = self

    def __repr__(self) -> str:
        return f"PublicList({self.name!r})"

    def bump(self) -> None:
        """A new version now: every entry stored so far stops counting."""
        try:
            cache.incr(self.version_key)
        except ValueError:  # never set, or evicted: a version no earlier entry can carry
            if not cache.add(self.version_key, time.time_ns(), timeout=None):
                cache.incr(self.version_key)

    def changed(self) -> None:
        """Something the list shows changed: bump now, and once more after the transaction commits
        (a reader between the two may have cached the rows from before the commit)."""
        self.bump()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self.bump)

    def entry_key(self, request: HttpRequest, variant: str) -> str:
        pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        query = urlencode(sorted(pairs, key=lambda pair: pair[0]))  # stable: repeats keep their order
        where = f"{variant}\n{request.scheme}://{request.get_host()}{request.path}?{query}"
        return f"{KEY_PREFIX}:{self.name}:{hashlib.sha256(where.encode()).hexdigest()}"

    def lookup(self, key: str):
        """(the current version, the entry's payload if it was stored under that version, else None)."""
        found = cache.get_many([self.version_key, key])
        version = found.get(self.version_key)
        if version is None:
            cache.add(self.version_key, time.time_ns(), timeout=None)
            return cache.get(self.version_key), None
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return version, entry[1]
        return version, None

    def store(self, key: str, version, payload) -> None:
        if version is not None:
            cache.set(key, (version, payload), timeout=cache_seconds())


class _Changed:
    """A model-signal receiver that bumps a list; see ``invalidate_on``."""

    def __init__(self, public: PublicList, *, created_only: bool, ignored_fields: frozenset[str]):
        self.public, self.created_only, self.ignored_fields = public, created_only, ignored_fields

    def saved(self, sender, created=False, update_fields=None, **kwargs) -> None:
        if self.created_only and not created:
            return
        if update_fields is not None and set(update_fields) <= self.ignored_fields:
            return
        self.public.changed()

    def deleted(self, sender, **kwargs) -> None:
        self.public.changed()

    def linked(self, sender, action: str, **kwargs) -> None:
        if action in ("post_add", "post_remove", "post_clear"):
            self.public.changed()


def invalidate_on(
    public: PublicList,
    *models,
    created_only: bool = False,
    ignored_fields: frozenset[str] = frozenset(),
    m2m: tuple = (),
) -> None:
    """Bump ``public`` whenever a row of ``models`` is saved (only created, with ``created_only``; not
    when every saved field is in ``ignored_fields``) or deleted, and whenever a many-to-many field of
    ``m2m`` (their ``through`` models) gains or loses links. Call it from ``AppConfig.ready()``.

    Model signals, against the house rule of explicit calls in the services, because this is cache
    bookkeeping, not domain logic: a list shows rows of many models written by many services (and by
    the admin, the demo seeding, data fixes), and a single forgotten call would serve a stale public
    page for as long as the entry lives. A signal sees every save and delete whoever makes it; what
    it cannot see, ``QuerySet.update()`` and raw SQL, calls ``PublicList.changed()`` itself.
    """
    receiver = _Changed(public, created_only=created_only, ignored_fields=frozenset(ignored_fields))
    _receivers.append(receiver)  # the signals hold it weakly
    for model in models:
        uid = f"public-list:{public.name}:{model._meta.label}"
        post_save.connect(receiver.saved, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver.deleted, sender=model, dispatch_uid=f"{uid}:delete")
    for through in m2m:
        m2m_changed.connect(
            receiver.linked, sender=through, dispatch_uid=f"public-list:{public.name}:{through._meta.label}"
        )


_receivers: list[_Changed] = []


def public_lists() -> list[PublicList]:
    return list(_lists.values())


def public_list(name: str) -> PublicList:
    return _lists[name]


def is_anonymous_request(request) -> bool:
    """A GET that carries no identity at all: no session cookie, no credentials header, no pending
    flash message, and (when authentication has run) an anonymous user without API key."""
    if request.method != "GET" or cache_seconds() <= 0:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    meta = request.META
    api_key_header = getattr(settings, "API_KEY_CUSTOM_HEADER", "HTTP_X_API_KEY")
    if "HTTP_AUTHORIZATION" in meta or api_key_header in meta:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return getattr(request, "auth", None) is None


def cached_api_list(public: PublicList) -> Callable:
    """Decorates a DRF list view's ``get``: an anonymous request's answer is the cached data of the
    same query (rendered for this request, so the negotiated format, its headers and any CSRF token
    of the browsable API are this request's own). It decorates the handler, not ``dispatch``, so
    authentication, permissions and the throttles (``initial()``) run for every request, hits included.
    Only a 200 that sets no cookie is stored."""
    from rest_framework.response import Response

    def decorator(handler: Callable) -> Callable:
        @wraps(handler)
        def get(view, request, *args, **kwargs):
            if not is_anonymous_request(request):
                return handler(view, request, *args, **kwargs)
            key = public.entry_key(request, variant=f"api {request.accepted_media_type}")
            version, data = public.lookup(key)
            if data is not None:
                return Response(data)
            response = handler(view, request, *args, **kwargs)
            if isinstance(response, Response) and response.status_code == 200 and not response.cookies:
                public.store(key, version, response.data)
            return response

        return get

    return decorator
