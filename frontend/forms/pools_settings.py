"""Forms of the pool settings pages: a pool's settings, a tier, and one requirement of a given kind.

A requirement's form is built from the kind's settings (``requirements.kinds.KINDS``), so the page
offers what the service checks. Money is typed in dollars and handed on in cents; the base city is
picked with the city search (the profile page's picker) and arrives as an id. The forms only parse:
the bounds and references are the services' (``add_domain_error`` shows their refusals)."""

from decimal import Decimal

from django import forms
from django.conf import settings

from marketplace.accounts.models import City
from marketplace.core.text import validate_single_line_text
from marketplace.organisations.models import TalentPool
from marketplace.organisations.requirements.kinds import COVERAGE_LABELS, FORM_LABELS, KINDS
from marketplace.organisations.requirements.sentences import reminds

MONEY_STEP = {"step": "0.01", "inputmode": "decimal"}


class PoolSettingsForm(forms.Form):
    name = forms.CharField(max_length=120, validators=[validate_single_line_text], label="Pool name")
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the pool is for; workers who may see the pool read it.",
    )
    visibility = forms.ChoiceField(
        choices=TalentPool.Visibility.choices, label="Who sees it", initial=TalentPool.Visibility.INVITEES
    )
    join_policy = forms.ChoiceField(
        choices=TalentPool.JoinPolicy.choices,
        label="How people join",
        initial=TalentPool.JoinPolicy.INVITATION,
    )
    auto_enforce = forms.BooleanField(
        required=False,
        initial=True,
        label="Enforce the requirements automatically",
        help_text="On: members move as their results change (the action below when something lapses, "
        "reinstated once every rule passes again). Off: results are shown and you act by hand.",
    )
    on_expiry = forms.ChoiceField(
        choices=TalentPool.OnExpiry.choices,
        label="When an active member's requirement lapses",
        initial=TalentPool.OnExpiry.SUSPEND,
    )


class TierForm(forms.Form):
    name = forms.CharField(max_length=60, validators=[validate_single_line_text])
    # "1 is offered work first" is said once, above the tiers.
    priority = forms.IntegerField(min_value=1, max_value=100, initial=1)
    pay_rate = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
        label="Pay rate per hour",
        widget=forms.NumberInput(attrs=MONEY_STEP),
    )
    currency = forms.ChoiceField(choices=[(c, c) for c in settings.CURRENCIES], initial="USD")

    def tier_fields(self) -> dict:
        data = self.cleaned_data
        rate = data["pay_rate"]
        return {
            "name": data["name"],
            "priority": data["priority"],
            "pay_rate_minor": None if rate is None else int(rate * 100),
            "currency": data["currency"],
        }

    @staticmethod
    def initial_for(tier) -> dict:
        rate = None if tier.pay_rate_minor is None else Decimal(tier.pay_rate_minor) / 100
        return {"name": tier.name, "priority": tier.priority, "pay_rate": rate, "currency": tier.currency}


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind…"), *((key, kind.label) for key, kind in KINDS.items())],
        label="Kind of requirement",
    )


def _is_money(name: str) -> bool:
    return name.endswith("_minor")


def _field(setting, *, categories: list[str], pools: list) -> forms.Field:
    """The form field for one of a kind's settings."""
    required = setting.required and setting.default is None
    common = {"required": required, "label": setting.label}
    if _is_money(setting.name):
        label = setting.label.replace(" (cents)", "")
        return forms.DecimalField(
            required=required,
            label=f"{label} ($)",
            min_value=Decimal("0.01"),
            decimal_places=2,
            widget=forms.NumberInput(attrs={**MONEY_STEP, "placeholder": "1000000"}),
        )
    if setting.name == "base_city_id":
        return forms.ModelChoiceField(
            queryset=City.objects.all(),
            widget=forms.HiddenInput,
            error_messages={"invalid_choice": "Choose a city from the suggestions."},
            **common,
        )
    if setting.name == "pool_id":
        return forms.TypedChoiceField(choices=[(p.pk, p.name) for p in pools], coerce=int, **common)
    if setting.name == "text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), **common)
    if setting.name == "coverage":
        return forms.ChoiceField(choices=list(COVERAGE_LABELS.items()), **common)
    if setting.name == "forms":
        return forms.MultipleChoiceField(
            choices=list(FORM_LABELS.items()), widget=forms.CheckboxSelectMultiple, **common
        )
    if setting.name == "categories":
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in categories], widget=forms.CheckboxSelectMultiple, **common
        )
    if setting.name == "countries":
        return forms.CharField(
            help_text="Two-letter codes separated by commas, e.g. US, CA.", max_length=300, **common
        )
    if setting.type is float:
        return forms.DecimalField(
            min_value=setting.minimum,
            max_value=setting.maximum,
            decimal_places=1,
            widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            **common,
        )
    if setting.type is int:
        return forms.IntegerField(
            min_value=setting.minimum, max_value=setting.maximum, initial=setting.default, **common
        )
    return forms.CharField(max_length=200, validators=[validate_single_line_text], **common)


class RequirementForm(forms.Form):
    """One requirement of ``kind``: its settings' fields, then the reminder days where they apply."""

    def __init__(self, *args, kind: str, categories=(), pools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.setting_names = {}
        for setting in KINDS[kind].settings:
            name = "city" if setting.name == "base_city_id" else setting.name
            self.setting_names[name] = setting.name
            self.fields[name] = _field(setting, categories=list(categories), pools=list(pools))
        if reminds(kind):
            self.fields["reminder_days"] = forms.CharField(
                required=False,
                label="Remind the worker, days before expiry",
                initial="30, 14, 7, 1",
                help_text="Whole days separated by commas, e.g. 30, 7, 1. Leave empty for no reminders.",
            )

    @property
    def uses_city(self) -> bool:
        return "city" in self.fields

    def config(self) -> dict:
        """The settings as the service takes them (cents, ids)."""
        config = {}
        for name, setting_name in self.setting_names.items():
            value = self.cleaned_data.get(name)
            if value is None or value == "":
                continue
            if _is_money(setting_name):
                value = int(value * 100)
            elif name == "city":
                value = value.pk
            elif isinstance(value, Decimal):
                value = float(value)
            config[setting_name] = value
        return config

    def reminder_days(self) -> str | None:
        """The days typed ("" for none); None where the kind has no reminders (the default is kept)."""
        return self.cleaned_data.get("reminder_days") if "reminder_days" in self.fields else None

    def field_for(self, setting_name: str) -> str:
        return "city" if setting_name == "base_city_id" else setting_name

    @staticmethod
    def initial_for(requirement) -> dict:
        initial = {}
        for key, value in requirement.config.items():
            if value is None:
                continue
            if _is_money(key):
                initial[key] = Decimal(value) / 100
            elif key == "base_city_id":
                initial["city"] = value
            elif key == "countries":
                initial[key] = ", ".join(value)
            else:
                initial[key] = value
        initial["reminder_days"] = ", ".join(str(d) for d in requirement.reminder_days)
        return initial
