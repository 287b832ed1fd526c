"""The forms of the dispute pages (a party's and support's). Amounts are typed in the currency's
major units and turned into exact minor units here (``money_to_minor``: no rounding of money)."""

from django import forms
from django.core.exceptions import ValidationError

from marketplace.core.money import Money, minor_to_major
from marketplace.disputes.models import Dispute

from .jobs import MultipleFileField
from .money import MoneyAmountField, money_to_minor

# What a party may give as the reason (the cancellation and chargeback reasons are set by the kind).
PARTY_REASONS = [
    (value, label)
    for value, label in Dispute.Reason.choices
    if value not in (Dispute.Reason.CANCELLATION, Dispute.Reason.CHARGEBACK)
]
EVIDENCE_HELP = "Up to 5 files: PDF, images, text or Office documents. Both sides and support see them."


def _evidence_files(required: bool = False) -> MultipleFileField:
    return MultipleFileField(label="Evidence files", required=required, help_text=EVIDENCE_HELP)


class _OnePageForm(forms.Form):
    """A form shown beside others on one page: its inputs' ids carry its own prefix (``id_prefix``)
    while the field names stay plain."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class _AmountForm(_OnePageForm):
    """A form with one amount in the dispute's currency: ``money(name)`` gives it as ``Money``."""

    def __init__(self, *args, currency: str, **kwargs):
        self.currency = currency
        super().__init__(*args, **kwargs)

    def money(self, name: str) -> Money:
        return Money(self.cleaned_data[f"{name}_minor"], self.currency)

    def _minor(self, name: str) -> int | None:
        amount = self.cleaned_data.get(name)
        if amount is None:
            return None
        try:
            minor = money_to_minor(amount, self.currency)
        except ValidationError as exc:
            self.add_error(name, exc)
            return None
        self.cleaned_data[f"{name}_minor"] = minor
        return minor


class DisputeOpenForm(_AmountForm):
    reason = forms.ChoiceField(label="What went wrong", choices=PARTY_REASONS)
    amount = MoneyAmountField(
        label="Amount in question",
        help_text="The part of the money held for this milestone that you say is yours.",
    )
    description = forms.CharField(
        label="Describe the problem",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was agreed, what happened, and what you want. The other side and support read it.",
    )
    files = _evidence_files()

    def __init__(self, *args, currency: str, held_minor: int, cancellation: bool = False, **kwargs):
        super().__init__(*args, currency=currency, **kwargs)
        self.fields["amount"].initial = minor_to_major(held_minor, currency)
        if cancellation:
            self.fields["reason"].choices = [(Dispute.Reason.CANCELLATION, Dispute.Reason.CANCELLATION.label)]
            self.fields["reason"].initial = Dispute.Reason.CANCELLATION

    def clean(self):
        cleaned = super().clean()
        self._minor("amount")
        return cleaned


class ResponseForm(_OnePageForm):
    id_prefix = "respond"
    response = forms.CharField(
        label="Your answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Your side of it: the other side and support read it.",
    )
    files = _evidence_files()


class EvidenceForm(_OnePageForm):
    id_prefix = "evidence"
    statement = forms.CharField(
        label="What this shows", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = _evidence_files()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("statement") and not cleaned.get("files"):
            raise ValidationError("Write a statement or attach a file.", code="empty_evidence")
        return cleaned


class OfferForm(_AmountForm):
    """A proposed split: what goes to the freelancer; the rest of what is held goes back to the client."""

    id_prefix = "offer"

    release = MoneyAmountField(
        label="To the freelancer",
        min_value=0,
        help_text="The rest of the milestone's amount goes back to the client.",
    )
    message = forms.CharField(
        label="Message", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, held_minor: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_minor = held_minor

    def clean(self):
        cleaned = super().clean()
        release = self._minor("release")
        if release is not None:
            if release > self.held_minor:
                self.add_error("release", "That is more than is held for this milestone.")
            else:
                cleaned["refund_minor"] = self.held_minor - release
        return cleaned


class WithdrawForm(_OnePageForm):
    id_prefix = "withdraw"
    reason = forms.CharField(
        label="Why you withdraw it", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(OfferForm):
    """Support's decision. A split names what goes to the freelancer; ``confirm`` is set by the
    preview step, which shows what each side receives first."""

    id_prefix = "decide"
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[
            (Dispute.Outcome.RELEASE_ALL, "Release it all to the freelancer"),
            (Dispute.Outcome.REFUND_ALL, "Refund it all to the client"),
            (Dispute.Outcome.SPLIT, "Split"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (both parties read it)", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["outcome", "release", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release"].required = False
        self.fields["release"].label = "To the freelancer (a split only)"
        del self.fields["message"]

    def clean(self):
        cleaned = forms.Form.clean(self)
        outcome = cleaned.get("outcome")
        if outcome == Dispute.Outcome.SPLIT:
            release = self._minor("release") if cleaned.get("release") is not None else None
            if release is None and "release" not in self.errors:
                self.add_error("release", "Say how much goes to the freelancer.")
            elif release is not None and not 0 < release < self.held_minor:
                self.add_error("release", "A split gives each side part of the money: between none and all.")
            elif release is not None:
                cleaned["refund_minor"] = self.held_minor - release
        elif outcome == Dispute.Outcome.RELEASE_ALL:
            cleaned["release_minor"], cleaned["refund_minor"] = self.held_minor, 0
        elif outcome == Dispute.Outcome.REFUND_ALL:
            cleaned["release_minor"], cleaned["refund_minor"] = 0, self.held_minor
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Support staff only: the parties never see notes.",
    )  # fmt: skip


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="Assign to", queryset=None, empty_label=None)

    def __init__(self, *args, support_users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = support_users
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.email


class WeekDisputeOpenForm(_OnePageForm):
    """A dispute of an hourly week: the entries in question, ticked, each with the amount of it in
    question (and optionally the minutes); ``entries()`` gives them as the service takes them."""

    id_prefix = "week"
    reason = forms.ChoiceField(label="What went wrong", choices=PARTY_REASONS)
    description = forms.CharField(
        label="Describe the problem",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Which hours, and why. The other side and support read it.",
    )
    files = _evidence_files()

    def __init__(self, *args, currency: str, rows: list, **kwargs):
        """``rows``: (entry, its cost in minor units) of each of the week's entries."""
        self.currency, self.rows = currency, rows
        super().__init__(*args, **kwargs)
        for entry, cost in rows:
            # Each control is described by its entry's line (date, length, cost, memo) on the page.
            described = {"aria-describedby": f"entry-{entry.pk}-what"}
            self.fields[f"pick_{entry.pk}"] = forms.BooleanField(
                label="In question", required=False, widget=forms.CheckboxInput(attrs=described)
            )
            self.fields[f"amount_{entry.pk}"] = MoneyAmountField(
                label="Amount in question",
                required=False,
                initial=minor_to_major(cost, currency),
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", **described}),
            )
            self.fields[f"minutes_{entry.pk}"] = forms.IntegerField(
                label="Minutes in question",
                required=False,
                min_value=1,
                max_value=entry.minutes,
                widget=forms.NumberInput(attrs=described),
            )

    def entry_fields(self):
        """(entry, cost, pick, amount, minutes) bound fields, for the template."""
        return [
            (entry, cost, self[f"pick_{entry.pk}"], self[f"amount_{entry.pk}"], self[f"minutes_{entry.pk}"])
            for entry, cost in self.rows
        ]

    def clean(self):
        cleaned = super().clean()
        picked = []
        for entry, _cost in self.rows:
            if not cleaned.get(f"pick_{entry.pk}"):
                continue
            amount = cleaned.get(f"amount_{entry.pk}")
            if amount is None:
                if f"amount_{entry.pk}" not in self.errors:
                    self.add_error(f"amount_{entry.pk}", "Say how much of this entry is in question.")
                continue
            try:
                minor = money_to_minor(amount, self.currency)
            except ValidationError as exc:
                self.add_error(f"amount_{entry.pk}", exc)
                continue
            picked.append(
                {
                    "entry": entry.pk,
                    "amount": Money(minor, self.currency),
                    "minutes": cleaned.get(f"minutes_{entry.pk}"),
                }
            )
        if not picked and not self.errors:
            raise ValidationError("Tick the entries in question.", code="entries_required")
        cleaned["entries"] = picked
        return cleaned

    def add_entry_errors(self, fields: dict) -> None:
        """A service's field errors on ``entries.N`` next to the Nth ticked entry's amount."""
        picked = self.cleaned_data.get("entries", [])
        for name, errors in fields.items():
            head, _, index = name.partition(".")
            if head == "entries" and index.isdigit() and int(index) < len(picked):
                self.add_error(f"amount_{picked[int(index)]['entry']}", errors)
