"""The forms of a milestone's page."""

from django import forms

from .jobs import MultipleFileField


class SubmissionForm(forms.Form):
    message = forms.CharField(
        label="What you hand in",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what is done and where to look. The client sees this with the files.",
    )
    files = MultipleFileField(
        label="Files", required=False, help_text="Up to 5 files: PDF, images, text or Office documents."
    )
