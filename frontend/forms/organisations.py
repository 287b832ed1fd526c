"""Forms for the organisation, invitation, talent-pool and staff pages.

They only parse input: the services decide what is allowed and raise ``DomainError``s, which
``add_domain_error`` puts on the form next to the field they concern.
"""

from django import forms

from marketplace.accounts.models import Badge
from marketplace.core.exceptions import DomainError
from marketplace.core.text import validate_single_line_text
from marketplace.organisations.models import Role


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: on the named fields when it names any, and the
    message itself at the top (it says why, the field errors say where)."""
    form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        if field in form.fields:
            form.add_error(field, errors)


class OrganisationForm(forms.Form):
    name = forms.CharField(validators=[validate_single_line_text], max_length=120, label="Organisation name")
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="Shown to freelancers you invite to your talent pool.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, allow_owner: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not allow_owner:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class PoolInviteForm(forms.Form):
    freelancer_email = forms.EmailField(
        required=False,
        label="Freelancer's email address",
        help_text="They are emailed, and answer once logged in with this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    # Sent by the invite button on a public profile, which must not publish the email address.
    freelancer_handle = forms.SlugField(required=False, widget=forms.HiddenInput)
    # Sent by the invite card on a pool's member list; empty: the organisation's default pool.
    pool = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    message = forms.CharField(
        required=False,
        max_length=2000,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Why you would like them in your pool"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("freelancer_email") and not data.get("freelancer_handle"):
            self.add_error("freelancer_email", "Enter their email address.")
        return data


class ReasonForm(forms.Form):
    """Ending a pool membership: the reason is optional, and the other side sees it."""

    reason = forms.CharField(required=False, max_length=500, label="Reason")


class APIKeyForm(forms.Form):
    name = forms.CharField(
        validators=[validate_single_line_text],
        max_length=50,
        label="Key name",
        help_text="Name it after the integration that will use it, e.g. “ATS sync”.",
    )


class StaffUserSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by email or name")


class SuspendForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        label="Reason",
        help_text="The user reads this when they log in.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReinstateForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="Note for the audit trail")


class BadgeGrantForm(forms.Form):
    kind = forms.ChoiceField(choices=Badge.Kind.choices, label="Badge")

    def __init__(self, *args, held: set[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if held:
            self.fields["kind"].choices = [c for c in Badge.Kind.choices if c[0] not in held]
