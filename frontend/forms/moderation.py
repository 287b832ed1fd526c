"""Forms for reporting something to staff and for staff's moderation decisions."""

from django import forms

from messaging.models import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Anything staff should know",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only staff read this. The person you report is not told who reported them.",
    )


class ModerationNoteForm(forms.Form):
    """Staff's reason for a decision: kept with the report and in the audit trail."""

    note = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
