"""Talent search's parameters, checked once for the page and the API: a form over the query string.

Rates are typed in major units (80) and compared in minor units of each profile's own currency (or
only among profiles in ``currency`` when one is chosen). ``near`` is a city's GeoNames id (as
``/api/cities/`` answers it) and ``radius`` is in kilometres. ``pool`` names one of the viewer's own
organisations: filtering on another's pool would tell who is in it, so any other slug is refused the
same way, whether or not such an organisation exists.

Paging: ``page`` numbers the first ``MAX_PAGES`` pages (offset paging); past them the answer carries
a cursor, ``after``, which is signed so that a client can hand back only what we gave out.
"""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core import signing

from marketplace.accounts.models import Badge, City, FreelancerProfile, Skill
from marketplace.core.money import currency_exponent
from marketplace.organisations.models import Organisation

PER_PAGE = 20
MAX_PAGES = 5
DEFAULT_RADIUS_KM = 50
MAX_SKILLS = 10
CURSOR_SALT = "search.talent.cursor"
SORTS = (
    ("relevance", "Best match"),
    ("rate", "Lowest rate"),
    ("-rate", "Highest rate"),
    ("distance", "Nearest"),
)
MATCHES = (("all", "All of them"), ("any", "Any of them"))
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def encode_cursor(cursor: tuple) -> str:
    return signing.dumps(list(cursor), salt=CURSOR_SALT, compress=True)


def decode_cursor(value: str) -> tuple:
    """The cursor we signed, or ``ValidationError`` for anything else."""
    try:
        cursor = signing.loads(value, salt=CURSOR_SALT)
    except signing.BadSignature as exc:
        raise forms.ValidationError("This link to a further page is broken.", code="invalid_cursor") from exc
    return tuple(cursor)


class CountriesField(forms.MultipleChoiceField):
    """Country codes (two letters, as the bundled city list spells them); any code is accepted."""

    def valid_value(self, value) -> bool:
        return bool(COUNTRY_CODE.match(str(value)))

    def to_python(self, value) -> list[str]:
        return [str(code).strip().upper() for code in super().to_python(value)]


class TalentSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        help_text="Words in the headline, bio, skills or portfolio; every word must match.",
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        help_text="Skill slugs (from /api/skills/); repeat the parameter for several.",
    )
    skills_match = forms.ChoiceField(
        choices=MATCHES, required=False, help_text="`all` (the default) or `any` of the skills."
    )
    rate_min = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, help_text="Hourly rate, major units."
    )
    rate_max = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, help_text="Hourly rate, major units."
    )
    currency = forms.ChoiceField(
        choices=[(code, code) for code in settings.CURRENCIES],
        required=False,
        help_text="Only profiles that charge in this currency.",
    )
    min_rating = forms.DecimalField(
        required=False, min_value=1, max_value=5, decimal_places=2, help_text="Average stars, 1 to 5."
    )
    min_jss = forms.IntegerField(
        required=False, min_value=0, max_value=100, help_text="Job success score, 0 to 100."
    )
    near = forms.ModelChoiceField(
        queryset=City.objects.all(),
        to_field_name="geonameid",
        required=False,
        help_text="A city's GeoNames id (from /api/cities/?q=).",
    )
    radius = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2000,
        help_text=f"Kilometres around `near` (default {DEFAULT_RADIUS_KM}).",
    )
    country = CountriesField(required=False, help_text="Two-letter country codes; any of them.")
    availability = forms.MultipleChoiceField(
        choices=FreelancerProfile.Availability.choices, required=False, help_text="Any of them."
    )
    badges = forms.MultipleChoiceField(
        choices=Badge.Kind.choices, required=False, help_text="Verifications; all of them."
    )
    pool = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "Choose one of your own organisations."},
        help_text="An organisation you are a member of (its slug): only the freelancers in its talent pool.",
    )
    sort = forms.ChoiceField(
        choices=SORTS, required=False, help_text="`relevance` (default), `rate`, `-rate`, `distance`."
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGES, help_text=f"1 to {MAX_PAGES}; then `after`."
    )
    after = forms.CharField(
        required=False, max_length=2000, help_text="The cursor of the next page, from a previous answer."
    )

    def __init__(self, data=None, *, viewer, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in settings.CURRENCIES]
        if getattr(viewer, "is_authenticated", False):
            self.fields["pool"].queryset = Organisation.objects.filter(memberships__user=viewer).order_by(
                "name"
            )

    def clean_skills(self):
        skills = self.cleaned_data["skills"]
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(f"At most {MAX_SKILLS} skills.", code="too_many")
        return skills

    def clean_after(self) -> tuple | None:
        value = self.cleaned_data["after"]
        return decode_cursor(value) if value else None

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("rate_min"), cleaned.get("rate_max")
        if low is not None and high is not None and low > high:
            self.add_error("rate_max", "The highest rate is below the lowest.")
        if cleaned.get("sort") == "distance" and not cleaned.get("near") and "near" not in self.errors:
            self.add_error(
                "sort", forms.ValidationError("Choose a city to sort by distance.", code="needs_near")
            )
        if cleaned.get("after") and cleaned.get("page"):
            self.add_error("page", forms.ValidationError("Give `page` or `after`, not both.", code="both"))
        return cleaned

    def rate_minor(self, amount: Decimal | None) -> int | None:
        """A rate bound in minor units: of the chosen currency, or else of the first (all supported
        currencies are read in their own units, which the platform's share: USD, EUR, GBP)."""
        if amount is None:
            return None
        currency = self.cleaned_data.get("currency") or settings.CURRENCIES[0]
        return int(amount * 10 ** currency_exponent(currency))

    @property
    def active_count(self) -> int:
        """How many filters are set, for the phone's "Filters (2)" toggle."""
        if not self.is_bound:
            return 0
        ignored = {"q", "sort", "page", "after", "skills_match"}
        if not self.data.get("near"):
            ignored.add("radius")  # the page always sends one; it filters only with a city
        return sum(
            1
            for name in self.fields
            if name not in ignored and any(str(value).strip() for value in self.data.getlist(name))
        )
