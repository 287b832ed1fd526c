"""Forms of the worker's pool pages: applying, the checklist's upload form (its fields follow the
requirement's kind), signing an agreement, asking for an override. They parse; the services decide
(their field errors come back onto the form with ``add_service_errors``)."""

from decimal import Decimal

from django import forms

from marketplace.organisations.requirements.kinds import FORM_LABELS

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
MONEY_FIELDS = ("per_occurrence_minor", "aggregate_minor")


class ApplyForm(forms.Form):
    message = forms.CharField(
        label="Message to the organisation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you would be a good fit (optional).",
    )


class SignForm(forms.Form):
    signed_name = forms.CharField(label="Type your full name to sign", max_length=200)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why should you be let in while this is not met?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _date_field(label: str, *, required: bool, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"})
    )


def _dollars(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0.01"), decimal_places=2, max_digits=14, help_text="In US dollars."
    )


class CredentialForm(forms.Form):
    """The upload for one requirement: the file and the facts its kind needs."""

    file = forms.FileField(
        label="Document (PDF, JPEG or PNG)", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, requirement, *args, **kwargs):
        super().__init__(*args, prefix=f"r{requirement.pk}", **kwargs)
        self.requirement = requirement
        kind, config = requirement.kind, requirement.config
        if kind == "tax_form":
            forms_accepted = config.get("forms", [])
            self.fields["form"] = forms.ChoiceField(
                label="Form", choices=[(f, FORM_LABELS.get(f, f)) for f in forms_accepted]
            )
        elif kind == "insurance":
            self.fields["per_occurrence_minor"] = _dollars("Cover per occurrence")
            self.fields["aggregate_minor"] = _dollars("Aggregate cover")
            self.fields["expires_on"] = _date_field(
                "Expiration date", required=True, help_text="As on the certificate."
            )
        elif kind in ("background_check", "drug_test"):
            self.fields["issued_on"] = _date_field("Completed on", required=True)
        elif kind == "skills_test":
            self.fields["score"] = forms.IntegerField(label="Score", min_value=0, max_value=100)
        else:  # certification, document
            self.fields["expires_on"] = _date_field(
                "Expiration date", required=False, help_text="If it expires."
            )

    def service_fields(self) -> dict:
        """The facts as the service takes them (cover in cents)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "file"}
        for name in MONEY_FIELDS:
            if data.get(name) is not None:
                data[name] = int(data[name] * 100)
        return data


def add_service_errors(form: forms.Form, fields: dict, message: str) -> None:
    """A service's field errors onto the form (a field it does not show: onto the whole form)."""
    if not fields:
        form.add_error(None, message)
    for name, errors in fields.items():
        for error in errors:
            text = error["message"] if isinstance(error, dict) else str(error)
            form.add_error(name if name in form.fields else None, text)
