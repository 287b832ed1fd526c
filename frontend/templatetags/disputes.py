"""``{{ by_id|get_item:key }}``: a dict's value by a key from the template (None when absent), for
pages that pass lookups such as a contract's open disputes by milestone."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
