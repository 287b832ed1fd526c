"""Money in forms: people type major units (12.50); services take integer minor units (1250)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from marketplace.core.money import currency_exponent, major_to_minor, minor_to_major
from marketplace.core.text import validate_single_line_text


def money_to_minor(amount: Decimal, currency: str) -> int:
    """Minor units, refusing more decimals than the currency has (no silent rounding of money)."""
    exponent = currency_exponent(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-exponent)):
        places = f"at most {exponent} decimal places" if exponent else "whole numbers"
        raise ValidationError(f"{currency} amounts use {places}.", code="too_many_decimals")
    return major_to_minor(amount, currency)


class MoneyAmountField(forms.DecimalField):
    """A positive amount in major units; convert with ``money_to_minor`` once the currency is known."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
        super().__init__(**kwargs)


class MilestoneForm(forms.Form):
    title = forms.CharField(validators=[validate_single_line_text], label="Milestone", max_length=120)
    amount = MoneyAmountField(label="Amount")


class BaseMilestoneFormSet(forms.BaseFormSet):
    """A fixed-price schedule: 1 to 20 milestones (the services check that they add up)."""

    def milestones(self, currency: str) -> list[dict]:
        """The schedule in minor units; call after ``is_valid()``. Adds field errors on bad decimals."""
        schedule = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            try:
                amount_minor = money_to_minor(form.cleaned_data["amount"], currency)
            except ValidationError as exc:
                form.add_error("amount", exc)
                continue
            schedule.append({"title": form.cleaned_data["title"], "amount_minor": amount_minor})
        return schedule


MilestoneFormSet = formset_factory(
    MilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=0,
    min_num=1,
    max_num=20,
    validate_min=True,
    validate_max=True,
    can_delete=True,
)


def milestone_initial(milestones: list[dict], currency: str) -> list[dict]:
    """Form initial data from a stored schedule (minor units → major)."""
    return [{"title": m["title"], "amount": minor_to_major(m["amount_minor"], currency)} for m in milestones]
