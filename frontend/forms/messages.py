"""The conversation panel's send form: a new message (text and files); an edit is one field,
handed to the service as typed.
``messaging.services.messages`` decides (length, rate limit, who may post or edit, the files'
content); its refusals land on the form, which keeps what was typed."""

from django import forms
from django.core.exceptions import ValidationError

from .jobs import MultipleFileField

BODY_MAX = 5000
MARKDOWN_HINT = "Markdown: **bold**, *italic*, `code`, lists and links."


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Write a message…"}),
        help_text=MARKDOWN_HINT,
        error_messages={
            "max_length": f"A message is at most {BODY_MAX:,} characters (it has %(show_value)d)."
        },
    )
    attachments = MultipleFileField(
        label="Attach files",
        required=False,
        help_text="Images are shown as previews; PDF, text and Office files as links.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "message-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("body") and not data.get("attachments"):
            raise ValidationError("Write a message or attach a file.", code="empty")
        return data
