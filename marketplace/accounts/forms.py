"""The extra sign-up fields, used by allauth's page and by its JSON API (ACCOUNT_SIGNUP_FORM_CLASS)."""

from django import forms
from django.utils.safestring import mark_safe

from marketplace.core.text import validate_single_line_text

from .services.onboarding import account_onboard

ROLE_CHOICES = [
    ("freelancer", "Work as a freelancer"),
    ("client", "Hire freelancers"),
    ("both", "Both"),
]


class SignupExtraForm(forms.Form):
    full_name = forms.CharField(
        validators=[validate_single_line_text],
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    account_type = forms.ChoiceField(
        label="I want to", choices=ROLE_CHOICES, initial="freelancer", widget=forms.RadioSelect,
        help_text="You can change this later in your account settings.",
    )  # fmt: skip
    accept_terms = forms.BooleanField(
        label=mark_safe('I accept the <a href="/terms/">terms of service</a>'),
        error_messages={"required": "You must accept the terms of service to register."},
    )

    def signup(self, request, user) -> None:
        account_type = self.cleaned_data["account_type"]
        account_onboard(
            user=user,
            full_name=self.cleaned_data["full_name"],
            is_client=account_type in ("client", "both"),
            is_freelancer=account_type in ("freelancer", "both"),
            accepted_terms=self.cleaned_data["accept_terms"],
        )
