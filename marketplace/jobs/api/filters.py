"""Find-work query parameters: parsed and validated here, applied by ``selectors.jobs_matching``."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from marketplace.accounts.models import Skill
from marketplace.core.filters import IdsFilter

from .. import selectors
from ..models import BudgetType, Category, LocationType


class MinorUnitsFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def minor_units_filter(description: str) -> MinorUnitsFilter:
    """A whole number of minor units, typed as an integer in the schema (with its description)."""
    schema = {"type": "integer", "minimum": 0, "description": description}
    return extend_schema_field(schema)(MinorUnitsFilter(min_value=0, max_value=2**53))


class FindWorkFilter(django_filters.FilterSet):
    skills = IdsFilter(
        queryset=Skill.objects.all(),
        help_text="Skill ids; jobs with any of them. Repeat the parameter: `?skills=3&skills=8`.",
    )
    category = django_filters.ChoiceFilter(choices=Category.choices)
    budget_type = django_filters.ChoiceFilter(choices=BudgetType.choices)
    location_type = django_filters.ChoiceFilter(choices=LocationType.choices)
    currency = django_filters.CharFilter(max_length=3, help_text="ISO 4217, e.g. `EUR`.")
    budget_min = minor_units_filter(
        "Integer minor units: a fixed budget of at least this, or an hourly range reaching it."
    )
    budget_max = minor_units_filter(
        "Integer minor units: a fixed budget of at most this, or an hourly range starting at or below it."
    )
    q = django_filters.CharFilter(max_length=100, help_text="Words in the title.")

    def filter_queryset(self, queryset):
        given = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return selectors.jobs_matching(queryset, **given)
