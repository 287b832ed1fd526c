"""Talent search at 100,000 freelancer profiles (quick: 2,000), on the PostgreSQL backend.

Rows, each beside an anchor measured in the same run:
- the index build (``index_rebuild("talent")``: the document builders plus the backend's writes
  and the swap) against the builders alone (the same documents built, not written);
- a typical query (text + rate range + minimum rating + 100 km radius + skills facet, 20 hits;
  eight of them in turn) through the backend, p50 and p95 of one client, against the very SQL the
  backend runs (``pg_query``: the page and the counts statement) timed on a raw psycopg cursor;
- the same through the HTTP endpoint ``/api/search/talent/`` under gunicorn, one client, against
  the SQL of the query the API builds from the same parameters (it asks four facets and
  highlights), on the raw cursor (target: p95 at most 1.5 times the raw SQL's); not measured when
  the URLconf lacks the route (``HTTP_PATH``);
- the same against Elasticsearch when ``ELASTICSEARCH_URL`` is set.

The profiles are rows (users, profiles with a city and three skills, reputations) written straight
to the tables in batches, then ANALYZE; the documents come from the real builders.
"""

import os
import random
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connection, transaction

from bench.table import Row

BATCH = 2_000
EMAIL_DOMAIN = "search-bench.invalid"
HTTP_PATH = "/api/search/talent/"
TECHS = (
    "Python", "Django", "React", "Rails", "Go", "Kotlin", "Swift", "Figma", "PostgreSQL",
    "Kubernetes", "WordPress", "Shopify", "Flutter", "Laravel", "TypeScript", "Rust",
)  # fmt: skip
ROLES = ("developer", "designer", "engineer", "consultant", "analyst", "writer", "architect", "tester")
SENTENCES = (
    "I build and maintain web applications for small companies.",
    "Ten years of shipping products with remote teams.",
    "I care about tests, accessibility and clear documentation.",
    "Previously led a team of five at a payments startup.",
    "Happy to take over legacy code and make it fast again.",
    "I write APIs, data pipelines and the dashboards on top of them.",
)
# (text, city index) of the typical queries, asked in turn; every one has the same filters.
QUERIES = (
    ("python developer", 0),
    ("react engineer", 1),
    ("django", 2),
    ("data analyst", 3),
    ("figma designer", 4),
    ("kubernetes architect", 5),
    ("wordpress developper", 6),  # a typo: one edit away
    ("swift", 7),
)


def _sample_size(quick: bool) -> tuple[int, int]:
    """(profiles, timed queries per series)."""
    return (2_000, 40) if quick else (100_000, 400)


def generate(n: int) -> list:
    """Write ``n`` public freelancer profiles with varied text, a city, skills and a reputation;
    answers the cities the queries centre on (the most populous ones)."""
    from marketplace.accounts.models import City, Skill

    cities = list(City.objects.order_by("-population", "pk")[:300])
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, n, BATCH):
        _profiles(start, min(start + BATCH, n), cities, skills)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # freshly written tables: without it the planner guesses 1 row
    return cities[: len(QUERIES)]


@transaction.atomic
def _profiles(start: int, stop: int, cities: list, skills: list[int]) -> None:
    from marketplace.accounts.models import FreelancerProfile, FreelancerReputation, User

    rng = random.Random(start)  # noqa: S311 (made-up data)
    users = User.objects.bulk_create(
        User(
            email=f"talent-{i}@{EMAIL_DOMAIN}",
            full_name=f"{rng.choice(TECHS)} Person {i}",
            password="!bench",  # no hash: nobody logs in
            is_freelancer=True,
        )
        for i in range(start, stop)
    )
    profiles = []
    for i, user in zip(range(start, stop), users, strict=True):
        first, second = rng.sample(TECHS, 2)
        profiles.append(
            FreelancerProfile(
                user=user,
                handle=f"talent-{i}",
                headline=f"{first} {rng.choice(ROLES)}, {second}",
                bio=" ".join(rng.sample(SENTENCES, 3)),
                hourly_rate_minor=rng.randrange(2_000, 20_000, 100),
                currency="USD",
                languages=["en"],
                city=rng.choice(cities),
            )
        )
    profiles = FreelancerProfile.objects.bulk_create(profiles)
    through = FreelancerProfile.skills.through
    through.objects.bulk_create(
        through(freelancerprofile_id=profile.pk, skill_id=skill)
        for profile in profiles
        for skill in rng.sample(skills, 3)
    )
    now = datetime.now(UTC)
    FreelancerReputation.objects.bulk_create(
        FreelancerReputation(
            user=user,
            rating_avg=round(rng.uniform(3.0, 5.0), 2),
            rating_count=rng.randrange(1, 40),
            job_success_score=rng.randrange(50, 101),
            computed_at=now,
        )
        for user in users
        if rng.random() < 0.7
    )


def queries(centres: list) -> list:
    from search.types import Near, Range, SearchQuery

    return [
        SearchQuery(
            audience=frozenset({"public"}),
            text=text,
            ranges=(Range("rate", gte=3_000, lte=15_000), Range("rating", gte=4.0)),
            near=Near(centres[city].latitude, centres[city].longitude, radius_km=100),
            facets=("skills",),
            limit=20,
        )
        for text, city in QUERIES
    ]


def _percentiles(run: Callable[[int], None], samples: int) -> tuple[float, float]:
    """p50 and p95 in ms of ``run(i)`` over ``samples`` calls (after a warm-up round)."""
    for i in range(len(QUERIES)):
        run(i)
    times = []
    for i in range(samples):
        started = time.perf_counter()
        run(i)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times), cuts[18]


def raw_sql(database: str, asked: list) -> Callable[[int], None]:
    """The backend's own statements for each query, on a raw psycopg cursor (client-side binding,
    as Django sends them)."""
    import psycopg

    from search.backends.database.pg_query import Compiled
    from search.indexes import index_named

    index = index_named("talent")
    statements = []
    for query in asked:
        compiled = Compiled(index, query)
        statements.append((compiled.page_sql(), compiled.counts_sql()))
    raw = psycopg.connect(dbname=database, autocommit=True, cursor_factory=psycopg.ClientCursor)

    def run(i: int) -> None:
        with raw.cursor() as cursor:
            for sql, params in statements[i % len(statements)]:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def through_backend(backend, asked: list) -> Callable[[int], None]:
    from search.indexes import index_named

    index = index_named("talent")

    def run(i: int) -> None:
        backend.search(index, asked[i % len(asked)])

    return run


def http_asked(centres: list) -> list[tuple[str, object]]:
    """The typical queries as the API's query strings, each with the ``SearchQuery`` the API builds
    from it for a visitor (its own facets, highlights and page size): the HTTP rows' raw SQL."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from search.talent.params import TalentSearchForm
    from search.talent.results import talent_query

    asked = []
    for text, city in QUERIES:
        params = {"q": text, "rate_min": "30", "rate_max": "150", "min_rating": "4"}
        params |= {"near": centres[city].geonameid, "radius": "100"}
        string = urllib.parse.urlencode(params)
        form = TalentSearchForm(QueryDict(string), viewer=AnonymousUser())
        if not form.is_valid():
            raise RuntimeError(f"{HTTP_PATH}?{string}: {form.errors.as_json()}")
        asked.append((string, talent_query(form, frozenset({"public"}))))
    return asked


def http_routed() -> bool:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(HTTP_PATH)
    except Resolver404:
        return False
    return match.func.__name__ != "api_not_found"  # the API's catch-all 404


def through_http(base: str, strings: list[str]) -> Callable[[int], None]:
    # As behind the TLS proxy (bench/support.py): otherwise the production settings redirect.
    requests = [
        urllib.request.Request(  # noqa: S310 (loopback http)
            f"{base}{HTTP_PATH}?{string}",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.0.0.{n + 1}"},
        )
        for n, string in enumerate(strings)
    ]

    def run(i: int) -> None:
        with urllib.request.urlopen(requests[i % len(requests)], timeout=30) as response:  # noqa: S310
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{HTTP_PATH} answered {response.status}")

    return run


def _pair(what: str, value: tuple[float, float], anchor: str, raw: tuple[float, float], target=None):
    return [
        Row(f"{what} p50", value[0], f"{anchor} p50", raw[0], unit="ms", higher_is_better=False),
        Row(
            f"{what} p95", value[1], f"{anchor} p95", raw[1], unit="ms", higher_is_better=False, target=target
        ),
    ]


def _size(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"


def measure(*, quick: bool, database: str) -> list[Row]:
    """Every search row (Django must be set up here on ``database``)."""
    from search.backends import get_search_backend
    from search.indexes import index_named
    from search.services.indexing import index_rebuild

    n, samples = _sample_size(quick)
    centres = generate(n)
    index = index_named("talent")
    started = time.perf_counter()
    ids = list(index.indexable_ids())
    for offset in range(0, len(ids), 1_000):
        index.documents(ids[offset : offset + 1_000])
    built = time.perf_counter() - started
    started = time.perf_counter()
    index_rebuild(index="talent")
    indexed = time.perf_counter() - started
    rows = [
        Row(
            f"talent index build, {_size(n)} profiles (index_rebuild into PostgreSQL)",
            indexed,
            "the same documents built, not written",
            built,
            unit="s",
            higher_is_better=False,
        )
    ]
    asked = queries(centres)
    what = f"talent search, {_size(n)} profiles, text + rate + rating + 100 km + skills facet, 20 hits"
    anchor = "the backend's SQL on a raw cursor"
    raw = raw_sql(database, asked)
    backend = _percentiles(through_backend(get_search_backend(), asked), samples)
    rows += _pair(f"{what}, PostgreSQL backend", backend, anchor, _percentiles(raw, samples))
    if http_routed():
        from bench.support import gunicorn, static_files

        strings, http_queries = zip(*http_asked(centres), strict=True)
        http_raw = raw_sql(database, list(http_queries))
        connection.close()
        with static_files(), gunicorn(database) as server:
            http = _percentiles(through_http(server.base, list(strings)), samples)
            api_anchor = "the same queries as the API asks them (4 facets, highlights), raw SQL"
            rows += _pair(f"GET {HTTP_PATH}, {what}", http, api_anchor, _percentiles(http_raw, samples), 0.67)
    else:
        print(f"search: {HTTP_PATH} is not routed: the HTTP rows are not measured")
    if os.environ.get("ELASTICSEARCH_URL"):
        rows += _elasticsearch(index, asked, samples, what, anchor, raw)
    return rows


def _elasticsearch(index, asked, samples, what, anchor, raw) -> list[Row]:
    from search.backends.elasticsearch import ElasticsearchSearchBackend

    backend = ElasticsearchSearchBackend(
        "bench", {"URL": os.environ["ELASTICSEARCH_URL"], "INDEX_PREFIX": f"bench-{os.getpid()}"}
    )
    ids = list(index.indexable_ids())
    backend.rebuild(
        index, (doc for at in range(0, len(ids), 1_000) for doc in index.documents(ids[at : at + 1_000]))
    )
    backend.refresh(index)
    try:
        elastic = _percentiles(through_backend(backend, asked), samples)
        return _pair(f"{what}, Elasticsearch", elastic, anchor, _percentiles(raw, samples))
    finally:
        backend.drop(index)
