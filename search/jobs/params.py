"""The job search's parameters as people (the page) and programs (the API) send them, checked.

One form for both, so a saved search made on either reruns the same on the other. Budgets are typed
in major units (1500, 12.50) and turned into minor units of the chosen currency; without a currency
they are read in every currency's own units, which is only meaningful when all of them have the same
number of decimals (USD, EUR, GBP do); otherwise a currency is asked for.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.datastructures import MultiValueDict

from marketplace.accounts.models import City, Skill
from marketplace.core.money import currency_exponent, major_to_minor
from marketplace.jobs.models import BudgetType, Category, ExperienceLevel, LocationType

from .results import NEAR, REMOTE, REMOTE_OR_NEAR, JobSearch

POSTED_WITHIN = (
    ("", "Any time"),
    ("1", "Last 24 hours"),
    ("3", "Last 3 days"),
    ("7", "Last week"),
    ("30", "Last month"),
)
CLIENT_RATING = (("", "Any rating"), ("4.5", "4.5 and up"), ("4", "4 and up"), ("3", "3 and up"))
LOCATIONS = (
    ("", "Anywhere"),
    (REMOTE, "Remote only"),
    (NEAR, "Near a city"),
    (REMOTE_OR_NEAR, "Remote or near a city"),
)
SORTS = (("", "Best first"), ("relevance", "Relevance"), ("newest", "Newest"), ("distance", "Distance"))
# The parameters a search is made of (what a saved search stores); anything else (page, cursor,
# the city box's typed text) is not part of it.
PARAMETERS = (
    "q",
    "skills",
    "budget_min",
    "budget_max",
    "currency",
    "budget_type",
    "posted_within",
    "min_client_rating",
    "category",
    "experience_level",
    "location_type",
    "location",
    "city",
    "radius_km",
    "sort",
)
LIST_PARAMETERS = frozenset({"skills", "category", "experience_level", "location_type"})


class SkillSlugsField(forms.MultipleChoiceField):
    """Skill slugs (what the index's ``skills`` facet counts), checked against the taxonomy."""

    def valid_value(self, value) -> bool:
        return value in self.known

    @property
    def known(self) -> frozenset[str]:
        if not hasattr(self, "_known"):
            self._known = frozenset(Skill.objects.values_list("slug", flat=True))
        return self._known


class JobSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. django booking page"}),
    )
    skills = SkillSlugsField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "No skill is called %(value)s."},
    )
    budget_min = forms.DecimalField(
        label="At least", required=False, min_value=0, max_digits=14, decimal_places=3
    )
    budget_max = forms.DecimalField(
        label="At most", required=False, min_value=0, max_digits=14, decimal_places=3
    )
    currency = forms.ChoiceField(required=False)
    budget_type = forms.ChoiceField(
        label="Pay", required=False, choices=(("", "Fixed or hourly"), *BudgetType.choices)
    )
    posted_within = forms.TypedChoiceField(
        label="Posted", required=False, choices=POSTED_WITHIN, coerce=int, empty_value=None
    )
    min_client_rating = forms.TypedChoiceField(
        label="Client rating", required=False, choices=CLIENT_RATING, coerce=float, empty_value=None
    )
    category = forms.MultipleChoiceField(
        required=False, choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    experience_level = forms.MultipleChoiceField(
        label="Experience",
        required=False,
        choices=ExperienceLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    location_type = forms.MultipleChoiceField(
        label="Work", required=False, choices=LocationType.choices, widget=forms.CheckboxSelectMultiple
    )
    location = forms.ChoiceField(label="Where", required=False, choices=LOCATIONS, widget=forms.RadioSelect)
    city = forms.ModelChoiceField(
        queryset=City.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose a city from the suggestions."},
    )
    radius_km = forms.IntegerField(label="Within (km)", required=False, min_value=1, max_value=1000)
    sort = forms.ChoiceField(required=False, choices=SORTS)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["currency"].choices = [("", "Any currency")] + [
            (code, code) for code in settings.CURRENCIES
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_budget(cleaned)
        location = cleaned.get("location") or ""
        if location in (NEAR, REMOTE_OR_NEAR) and cleaned.get("city") is None and "city" not in self.errors:
            self.add_error("city", "Choose a city to search near.")
        if cleaned.get("sort") == "distance" and location not in (NEAR, REMOTE_OR_NEAR):
            self.add_error("sort", "Choose a city to sort by distance.")
        return cleaned

    def _clean_budget(self, cleaned: dict) -> None:
        currency = cleaned.get("currency") or ""
        exponents = {currency_exponent(code) for code in settings.CURRENCIES}
        units = currency or (settings.CURRENCIES[0] if len(exponents) == 1 else "")
        for name in ("budget_min", "budget_max"):
            amount = cleaned.get(name)
            if amount is None:
                continue
            if not units:
                self.add_error("currency", "Choose a currency to filter by budget.")
                continue
            exponent = currency_exponent(units)
            if amount != amount.quantize(Decimal(1).scaleb(-exponent)):
                places = f"at most {exponent} decimal places" if exponent else "whole numbers"
                self.add_error(
                    name, forms.ValidationError(f"{units} amounts use {places}.", code="too_many_decimals")
                )
                continue
            cleaned[name] = major_to_minor(amount, units)
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.add_error("budget_max", "The highest budget is below the lowest.")

    def search(self) -> JobSearch:
        """The checked search; call after ``is_valid()``. Fields with errors are left out, so a
        page can show results for the rest beside the errors."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        city = data.get("city")
        location = data.get("location") or ""
        return JobSearch(
            text=(data.get("q") or "").strip(),
            skills=tuple(data.get("skills") or ()),
            budget_min=_minor(data.get("budget_min")),
            budget_max=_minor(data.get("budget_max")),
            currency=data.get("currency") or "",
            budget_type=data.get("budget_type") or "",
            posted_within_days=data.get("posted_within"),
            min_client_rating=data.get("min_client_rating"),
            categories=tuple(data.get("category") or ()),
            experience_levels=tuple(data.get("experience_level") or ()),
            location_types=tuple(data.get("location_type") or ()),
            location=location if (city is not None or location == REMOTE) else "",
            near=(city.latitude, city.longitude) if city is not None else None,
            radius_km=data.get("radius_km"),
            sort=data.get("sort") or "",
        )


def _minor(value) -> int | None:
    # A bound that could not be converted (no currency to read it in) stays a Decimal: not applied.
    return value if isinstance(value, int) else None


def parameters_of(data) -> dict[str, str | list[str]]:
    """The search's own parameters out of a query (a ``QueryDict`` or a dict), empty ones dropped:
    what a saved search stores and what its link carries."""
    params: dict[str, str | list[str]] = {}
    for name in PARAMETERS:
        if name in LIST_PARAMETERS:
            values = data.getlist(name) if hasattr(data, "getlist") else _as_list(data.get(name))
            values = [str(value).strip() for value in values if str(value).strip()]
            if values:
                params[name] = values
        else:
            value = data.get(name)
            if value is not None and str(value).strip():
                params[name] = str(value).strip()
    return params


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def form_of(params: dict) -> JobSearchForm:
    """The form bound to stored parameters (``parameters_of``'s shape)."""
    data = MultiValueDict({name: _as_list(value) for name, value in params.items()})
    return JobSearchForm(data)
