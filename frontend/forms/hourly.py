"""The hourly time page's forms: a time entry (day and start on the freelancer's clock, duration,
memo) and the timer's memo. The service checks the same limits again; these give the form its
field errors."""

from django import forms

from marketplace.hourly.services.time_entries import MEMO_MAX


class EntryForm(forms.Form):
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Start", widget=forms.TimeInput(attrs={"type": "time"}))
    hours = forms.IntegerField(label="Hours", min_value=0, max_value=24, initial=1)
    minutes = forms.IntegerField(label="Minutes", min_value=0, max_value=59, initial=0)
    memo = forms.CharField(label="What you worked on", max_length=MEMO_MAX, widget=forms.TextInput)

    def clean(self):
        data = super().clean()
        if "hours" in data and "minutes" in data:
            total = data["hours"] * 60 + data["minutes"]
            if total <= 0:
                self.add_error("minutes", "Log at least one minute.")
            elif total > 24 * 60:
                self.add_error("hours", "One entry is at most 24 hours.")
            data["total"] = total
        return data


class TimerForm(forms.Form):
    memo = forms.CharField(label="What you are working on", max_length=MEMO_MAX, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_timer_%s")  # beside the log form's memo on one page
        super().__init__(*args, **kwargs)
