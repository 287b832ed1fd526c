"""The permission matrix: every route of the URL configuration, asked as every kind of actor about
organisation A's objects (A's own roles, another organisation's, freelancers with and without a tie to
A, staff, API keys, nobody), against the answers written out by hand in ``permission_matrix.txt``.

- The table is the specification, not a recording: each row was decided by reading what the route is
  for (and a few rows that did not match what they should be led to fixes). A route that changes its
  answer for someone fails here with the cells that moved.
- Every route must have a row, and every method a REST view implements must have one; a new route
  without its row fails ``test_every_route_has_a_row``. Admin routes, Django's own permission system,
  are checked by rule in ``test_admin_routes_admit_only_staff``.
- A cell is the status code, or ``lgn`` for a redirect to the login page. A write is sent with an empty
  body (``{}`` to the API), so an allowed write may answer its validation error (400, or 200 for a page
  that shows its form again): the permission check comes first, and the refused cells prove it.
  Writes that need no body really happen (and a 302 or 200 says so); each request runs in a savepoint
  that is rolled back, so every actor meets the same world.
- The actors and objects are ``tests/support/world.py``; one world is built for the whole module.
"""

import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.support.world import ACTORS, World

TABLE = Path(__file__).with_name("permission_matrix.txt")
JSON_PREFIXES = ("/api/", "/_allauth/")
REST_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Row:
    method: str
    template: str
    expected: dict
    line: int

    @property
    def id(self) -> str:
        return f"{self.method} {self.template}"


def _parse(text: str) -> list[Row]:
    rows, header = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if words[0].startswith("#"):
            if words[:3] == ["#", "method", "url"]:
                header = words[3:]
            continue
        assert header == ACTORS, f"{TABLE.name}: the header's columns must be {ACTORS}"
        method, template, *cells = words
        assert len(cells) == len(ACTORS), (
            f"{TABLE.name}:{number}: {len(cells)} cells for {len(ACTORS)} actors"
        )
        rows.append(Row(method, template, dict(zip(ACTORS, cells, strict=True)), number))
    return rows


ROWS = _parse(TABLE.read_text())


def _walk(patterns, prefix: str = ""):
    """(route, pattern) for every view, the route joined as ``ResolverMatch.route`` joins it."""
    for pattern in patterns:
        route = str(pattern.pattern)
        route = prefix + (route.removeprefix("^") if prefix else route)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def answer(response) -> str:
    """A cell: the status, or ``lgn`` for a redirect to the login page (``adm``: the admin's)."""
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "lgn"
        if location.startswith(reverse("admin:login")):
            return "adm"
    return str(response.status_code)


class Actors:
    """One test client per actor, logged in once; each request starts from the actor's own cookies
    (a request that logs out must not log out the rest of the row)."""

    def __init__(self, world: World):
        self.clients, self.cookies = {}, {}
        for name in ACTORS:
            client = Client(raise_request_exception=False)
            if world.users.get(name) is not None:
                client.force_login(world.users[name])
            if name in world.keys:
                client.defaults["HTTP_X_API_KEY"] = world.keys[name]
            self.clients[name], self.cookies[name] = client, client.cookies.output(header="", sep=";")

    def ask(self, name: str, method: str, url: str):
        client = self.clients[name]
        client.cookies = SimpleCookie(self.cookies[name])
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif url.startswith(JSON_PREFIXES):
                response = client.generic(method, url, b"{}", content_type="application/json")
            else:
                response = client.generic(method, url, b"", content_type="application/x-www-form-urlencoded")
            transaction.set_rollback(True)
        return response


@pytest.fixture(scope="module")
def world(matrix_world) -> World:
    return matrix_world


@pytest.fixture
def media_root(world, settings):
    """Overrides the suite's per-test upload folder: the world's files live in the module's."""
    settings.MEDIA_ROOT = world.media_root
    return world.media_root


@pytest.fixture(scope="module")
def actors(world, django_db_blocker) -> Actors:
    with django_db_blocker.unblock():
        return Actors(world)


def url_of(row: Row, world: World) -> str:
    return row.template.format(**world.ids)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_route_answers_each_actor_as_the_table_says(row, world, actors, db):
    url = url_of(row, world)
    observed = {name: answer(actors.ask(name, row.method, url)) for name in ACTORS}
    moved = {
        name: f"{row.expected[name]} → {observed[name]}"
        for name in ACTORS
        if observed[name] != row.expected[name]
    }
    assert not moved, f"{TABLE.name}:{row.line} {row.method} {url}: {moved}"


def _shadowed(route: str) -> bool:
    """A route without parameters that an earlier route answers can never be reached (allauth's phone
    endpoints, answered by ``core.views.phone_not_supported``)."""
    return not re.search(r"[<(^$]", route) and resolve(f"/{route}").route != route


def test_every_route_has_a_row(world, db):
    """Every route of the URL configuration outside the admin has a row, and a REST view a row per
    method it implements; a row for a route that no longer exists fails too."""
    covered = {}
    for row in ROWS:
        match = resolve(url_of(row, world).split("?")[0])
        covered.setdefault(match.route, set()).add(row.method)
    missing = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or _shadowed(route):
            continue
        view = getattr(pattern.callback, "cls", None)
        wanted = {m.upper() for m in REST_METHODS if view and hasattr(view, m)} or {"any method"}
        have = covered.get(route, set())
        if not have or (view and wanted - have):
            missing.append(f"{route} ({', '.join(sorted(wanted - have))})")
    assert not missing, "Routes without a row in the permission matrix: " + "; ".join(missing)


ADMIN_ACTORS = ["anon", "fl", "Aown", "keyA", "staff"]
ADMIN_OPEN = {"login", "logout", "password_reset", "javascript-catalog", "jsi18n"}


def _admin_url(route: str) -> str:
    """An address the route answers: each parameter an id of 1, a choice of apps its first app."""
    url = route.replace("(?P<url>.*)", "no-such-page/")
    url = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", url)  # (?P<app_label>auth|jobs|…)
    url = re.sub(r"<(?:\w+:)?\w+>", "1", url)
    return "/" + url.replace("^", "").replace("$", "")


def _admin_urls() -> list[str]:
    return [
        _admin_url(route)
        for route, pattern in _walk(get_resolver().url_patterns)
        if route.startswith("admin/") and pattern.name not in ADMIN_OPEN
    ]


def test_admin_routes_admit_only_staff(world, actors, db):
    """Django's admin checks ``is_staff`` on every view: the others are sent to its login page, staff
    get past it (what they may do there is Django's model permissions)."""
    wrong = []
    for url in _admin_urls():
        for actor in ADMIN_ACTORS:
            got = answer(actors.ask(actor, "GET", url))
            if (got == "adm") == (actor == "staff") or got == "500":
                wrong.append(f"{actor} {url} {got}")
    assert not wrong, wrong
