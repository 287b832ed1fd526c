"""Find work's filters (the page's query string), applied by ``selectors.jobs_matching`` over the
jobs the viewer may see. People type budgets in major units (1500); the selector takes minor units.
The API has its own FilterSet in minor units (marketplace/jobs/api/filters.py)."""

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from marketplace.accounts.models import Skill
from marketplace.core.filters import IdsFilter
from marketplace.core.money import currency_exponent
from marketplace.jobs import selectors
from marketplace.jobs.models import BudgetType, Category, LocationType

from .forms.money import MoneyAmountField, money_to_minor

BUDGET_FIELDS = ("budget_min", "budget_max")


class MajorUnitsFilter(django_filters.NumberFilter):
    """An amount as people type it (12.50); ``FindWorkForm`` turns it into minor units."""

    field_class = MoneyAmountField


class FindWorkForm(forms.Form):
    """Turns the budget bounds into minor units of the chosen currency. Without a currency they are
    read in every currency's own units, which is only meaningful when all of them have the same
    number of decimals (USD, EUR, GBP do); otherwise the page asks for a currency."""

    def clean(self) -> dict:
        cleaned = super().clean()
        currency = cleaned.get("currency") or ""
        exponents = {currency_exponent(code) for code in settings.CURRENCIES}
        units = currency or (settings.CURRENCIES[0] if len(exponents) == 1 else "")
        for name in BUDGET_FIELDS:
            amount = cleaned.get(name)
            if amount is None:
                continue
            if not units:
                self.add_error("currency", "Choose a currency to filter by budget.")
                continue
            try:
                cleaned[name] = money_to_minor(amount, units)
            except ValidationError as exc:
                self.add_error(name, exc)
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", "The highest budget is below the lowest.")
        return cleaned


class FindWorkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Title contains",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. booking page"}),
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    budget_type = django_filters.ChoiceFilter(
        label="Pay", choices=BudgetType.choices, empty_label="Fixed or hourly", widget=forms.RadioSelect
    )
    location_type = django_filters.ChoiceFilter(
        label="Where", choices=LocationType.choices, empty_label="Anywhere", widget=forms.RadioSelect
    )
    currency = django_filters.ChoiceFilter(choices=(), empty_label="Any currency")
    budget_min = MajorUnitsFilter(label="Budget at least", min_value=0)
    budget_max = MajorUnitsFilter(label="Budget at most", min_value=0)
    skills = IdsFilter(
        queryset=Skill.objects.order_by("category", "name"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        form = FindWorkForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["currency"].extra["choices"] = [(code, code) for code in settings.CURRENCIES]

    def filter_queryset(self, queryset):
        given = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return selectors.jobs_matching(queryset, **given)

    @property
    def active_count(self) -> int:
        """How many filters are set (valid or not), for the phone's “Filters (2)” toggle."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if any(value.strip() for value in self.data.getlist(name)))
