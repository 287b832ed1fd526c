"""``plain_text``: rendered HTML (our sanitised Markdown) as the text a person reads, for attributes
such as a page's meta description. ``striptags`` alone leaves the HTML's entities (``&amp;``), which
autoescaping then escapes a second time (``&amp;amp;``); here they become characters again, so the
template escapes them exactly once."""

import html

from django import template
from django.utils.html import strip_tags

register = template.Library()


@register.filter
def plain_text(value) -> str:
    return " ".join(html.unescape(strip_tags(str(value or ""))).split())
