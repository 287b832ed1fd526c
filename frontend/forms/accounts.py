"""Forms for one's own account and profiles: they parse and shape input; the services decide."""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.conf import global_settings, settings
from django.core.exceptions import ValidationError

from marketplace.accounts.models import City, FreelancerProfile, Skill
from marketplace.accounts.services.profiles import FreelancerProfileInput
from marketplace.core.money import currency_exponent, minor_to_major
from marketplace.core.text import validate_multiline_text, validate_single_line_text

LANGUAGE_NAMES = dict(global_settings.LANGUAGES)


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class AccountSettingsForm(forms.Form):
    full_name = forms.CharField(
        validators=[validate_single_line_text],
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    is_freelancer = forms.BooleanField(label="I work as a freelancer", required=False)
    is_client = forms.BooleanField(label="I hire freelancers", required=False)
    timezone = forms.ChoiceField(
        label="Time zone",
        help_text="Dates and deadlines are shown to you in this time zone.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()


class BillingDetailsForm(forms.Form):
    """What receipts of one's payments name as the payer (each optional; the service checks shapes)."""

    billing_name = forms.CharField(
        label="Billing name",
        required=False,
        max_length=150,
        validators=[validate_single_line_text],
        help_text="A person's or a company's name, if it is not your own.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    billing_address = forms.CharField(
        label="Billing address",
        required=False,
        max_length=500,
        validators=[validate_multiline_text],
        help_text="Up to 6 lines, as it should read on a receipt.",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    tax_id = forms.CharField(
        label="Tax ID",
        required=False,
        max_length=40,
        validators=[validate_single_line_text],
        help_text="A VAT or tax number, e.g. DE123456789: letters and digits, 4 to 32 characters.",
    )


class TagsField(forms.CharField):
    """Free tags typed as one comma-separated line."""

    def to_python(self, value) -> list[str]:
        value = super().to_python(value)
        return [tag.strip() for tag in value.split(",") if tag.strip()]

    def prepare_value(self, value) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class SkillChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class FreelancerProfileForm(forms.Form):
    headline = forms.CharField(
        validators=[validate_single_line_text],
        max_length=120,
        required=False,
        help_text="One line clients see first, e.g. “Django developer for marketplaces and payments”.",
    )
    bio = forms.CharField(
        label="Bio",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, lists, links. Up to 5,000 characters.",
    )
    skills = SkillChoiceField(queryset=Skill.objects.none(), required=False)
    tags = TagsField(
        label="Tags",
        required=False,
        help_text="Anything the skills list misses, separated by commas (up to 10).",
    )
    hourly_rate = forms.DecimalField(
        label="Hourly rate",
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        decimal_places=3,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(label="Currency")
    city = forms.ModelChoiceField(
        queryset=City.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose a city from the suggestions."},
    )
    availability = forms.ChoiceField(choices=FreelancerProfile.Availability.choices)
    languages = forms.MultipleChoiceField(
        choices=global_settings.LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(
        label="Who can see your profile",
        choices=FreelancerProfile.Visibility.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, skills=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if skills is not None:
            self.fields["skills"].queryset = skills
        self.fields["currency"].choices = [(code, code) for code in settings.CURRENCIES]

    @classmethod
    def initial_from(cls, profile: FreelancerProfile) -> dict:
        return {
            "headline": profile.headline,
            "bio": profile.bio,
            "skills": [skill.pk for skill in profile.skills.all()],
            "tags": profile.tags,
            "hourly_rate": minor_to_major(profile.hourly_rate_minor, profile.currency),
            "currency": profile.currency,
            "city": profile.city,
            "availability": profile.availability,
            "languages": profile.languages,
            "visibility": profile.visibility,
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        rate, currency = cleaned.get("hourly_rate"), cleaned.get("currency")
        if rate is not None and currency:
            exponent = currency_exponent(currency)
            quantum = Decimal(1).scaleb(-exponent)
            if rate != rate.quantize(quantum, rounding=ROUND_HALF_UP):
                places = f"{exponent} decimal places" if exponent else "whole numbers"
                self.add_error("hourly_rate", ValidationError(f"{currency} amounts use {places}."))
        return cleaned

    def to_input(self) -> FreelancerProfileInput:
        data = self.cleaned_data
        rate = data["hourly_rate"]
        rate_minor = None if rate is None else int(rate.scaleb(currency_exponent(data["currency"])))
        return FreelancerProfileInput(
            headline=data["headline"],
            bio=data["bio"],
            hourly_rate_minor=rate_minor,
            currency=data["currency"],
            city=data["city"],
            availability=data["availability"],
            languages=list(data["languages"]),
            skills=list(data["skills"]),
            tags=data["tags"],
            visibility=data["visibility"],
        )


class ClientProfileForm(forms.Form):
    company_name = forms.CharField(
        validators=[validate_single_line_text],
        label="Company name",
        max_length=120,
        required=False,
        help_text="Leave empty if you hire as a private person.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    website = forms.URLField(
        required=False, assume_scheme="https", widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    city = forms.ModelChoiceField(
        queryset=City.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose a city from the suggestions."},
    )


class ImageUploadForm(forms.Form):
    """The file is checked by the upload service (type sniffed from content, size, pixels)."""

    image = forms.FileField(
        label="New photo",
        allow_empty_file=True,
        help_text="JPEG, PNG or WebP, up to 10 MB and 25 megapixels. A square photo works best.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": "Choose an image file to upload."},
    )


class PortfolioItemForm(forms.Form):
    title = forms.CharField(validators=[validate_single_line_text], max_length=120)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    url = forms.URLField(
        label="Link",
        required=False,
        assume_scheme="https",
        help_text="Where the work can be seen, if it is public.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    image = forms.FileField(
        required=False,
        allow_empty_file=True,
        help_text="JPEG, PNG or WebP, up to 10 MB and 25 megapixels.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
