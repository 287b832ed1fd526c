"""The email preferences form: one check box per group of ``messaging.email_policy``."""

from django import forms

from messaging.email_policy import GROUPS


class EmailPreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for group in GROUPS:
            self.fields[group.key] = forms.BooleanField(
                label=group.label, help_text=group.help, required=False
            )
