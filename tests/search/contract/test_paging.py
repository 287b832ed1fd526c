"""Pages by offset and by cursor: together they list every match once, in the sort's order."""

import pytest

from search.types import Near, SearchQuery

from .corpus import BERLIN, talent

PUBLIC = frozenset({"public"})


@pytest.fixture
def crowd(load, talent_index):
    documents = []
    for n in range(1, 121):
        documents.append(
            talent(
                n,
                headline="Django developer" if n % 3 else "Django and Python developer",
                rate=None if n % 10 == 0 else 1000 + (n * 37) % 500,
                rating=(n % 5) + 1.0 if n % 4 else None,
                jss=(n * 13) % 101 if n % 2 else None,
                location=(BERLIN[0] + n / 1000, BERLIN[1]),
            )
        )
    load(talent_index, documents)


def walk_by_cursor(backend, index, **kwargs):
    seen, after = [], None
    while True:
        results = backend.search(index, SearchQuery(audience=PUBLIC, limit=7, after=after, **kwargs))
        seen.extend(hit.id for hit in results.hits)
        if len(results.hits) < 7:
            return seen
        after = results.hits[-1].cursor


@pytest.mark.parametrize(
    "kwargs",
    [
        {"text": "django developer"},
        {},
        {"sort": "rate"},
        {"sort": "-rate"},
        {"sort": "distance", "near": Near(*BERLIN, radius_km=500)},
    ],
    ids=["relevance-text", "relevance-blend", "rate", "-rate", "distance"],
)
def test_cursor_pages_follow_the_full_order(search_backend, talent_index, crowd, kwargs):
    full = [
        hit.id
        for hit in search_backend.search(talent_index, SearchQuery(audience=PUBLIC, limit=200, **kwargs)).hits
    ]
    assert len(full) == 120
    assert walk_by_cursor(search_backend, talent_index, **kwargs) == full


def test_offset_pages_follow_the_full_order(search_backend, talent_index, crowd):
    full = [
        hit.id
        for hit in search_backend.search(
            talent_index, SearchQuery(audience=PUBLIC, limit=200, sort="rate")
        ).hits
    ]
    pages = []
    for offset in range(0, 120, 25):
        results = search_backend.search(
            talent_index, SearchQuery(audience=PUBLIC, limit=25, offset=offset, sort="rate")
        )
        assert results.total == 120
        pages.extend(hit.id for hit in results.hits)
    assert pages == full
