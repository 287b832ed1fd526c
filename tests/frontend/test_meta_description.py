"""A job page's meta description is its description as plain text, escaped once: the rendered
Markdown's entities (``&amp;``) were escaped again (``&amp;amp;``) by the template."""

import re

import pytest

from tests.factories import make_job

pytestmark = pytest.mark.django_db


def _meta_description(html: str) -> str:
    return re.search(r'<meta name="description" content="([^"]*)">', html).group(1)


def test_a_job_pages_meta_description_is_escaped_once(client):
    job = make_job(description='Tom & Jerry\'s "best" bakery site: **fast** pages & a menu, 3 < 4.')
    meta = _meta_description(client.get(f"/jobs/{job.pk}/").content.decode())
    assert "&amp;amp;" not in meta
    assert "&amp;#" not in meta
    assert meta.startswith("Tom &amp; Jerry&#x27;s &quot;best&quot;")
    assert "strong" not in meta  # the Markdown's tags are dropped, not shown
    assert "fast pages &amp; a menu, 3 &lt; 4." in meta
