"""The review pages' forms: a review of the other side of an ended contract (its stars and sub-scores
depend on the direction), a report to staff, and staff's decision on a report.

They check types and lengths so that the page can say what is wrong next to each field; the services
hold the rules and check again (``add_service_error`` puts their refusals on the form)."""

from django import forms

from reviews.models import Review, ReviewReport

from ..review_facts import SUB_SCORE_LABELS

# The stars' words; the page reads each out as "4 stars: very good".
STARS = list(enumerate(("Poor", "Fair", "Good", "Very good", "Excellent"), start=1))
TEXT_MIN, TEXT_MAX, NOTE_MAX = 10, 5000, 2000


def _stars(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=STARS, coerce=int, widget=forms.RadioSelect)


class ReviewForm(forms.Form):
    """A review in ``direction``: overall stars, the direction's sub-scores, would-hire-again (the
    client's review of the freelancer only), the public text and a private note to the platform."""

    overall = _stars("Overall")
    text = forms.CharField(
        label="Your review",
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Public once revealed: on their profile, with your name. 10 to 5,000 characters.",
    )
    private_note = forms.CharField(
        label="Private note to the platform",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the platform reads this: never shown to them or to anyone else. "
        "Up to 2,000 characters.",
    )

    def __init__(self, *args, direction: str, reviewee_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        self.sub_score_names = Review.SUB_SCORES[direction]
        for name in self.sub_score_names:
            self.fields[name] = _stars(SUB_SCORE_LABELS[name])
        if direction == Review.Direction.OF_FREELANCER:
            self.fields["would_hire_again"] = forms.TypedChoiceField(
                label=f"Would you hire {reviewee_name} again?",
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
        self.fields["text"].help_text = (
            f"Public once revealed: {reviewee_name} and everyone who can see their profile read it, "
            "with your name. 10 to 5,000 characters."
        )
        self.fields["private_note"].help_text = (
            f"Only the platform reads this: never shown to {reviewee_name} or to anyone else. "
            "Up to 2,000 characters."
        )

    def star_fields(self) -> list:
        """The star groups in the order the page shows them: overall, then the sub-scores."""
        return [self["overall"], *(self[name] for name in self.sub_score_names)]

    def submission(self) -> dict:
        """The service's keyword arguments from the cleaned form."""
        data = self.cleaned_data
        return {
            "overall": data["overall"],
            "text": data["text"],
            "sub_scores": {name: data[name] for name in self.sub_score_names},
            "would_hire_again": data.get("would_hire_again"),
            "private_note": data["private_note"],
        }


class ReviewReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this review?", choices=ReviewReport.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Anything staff should know",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only staff read this. The review's author is not told who reported it.",
    )


class ReportDecisionForm(forms.Form):
    """Staff's decision on a review report: remove the review (a reason both sides read) or dismiss
    the report (a note, optional)."""

    REMOVE, DISMISS = "remove", "dismiss"

    action = forms.ChoiceField(choices=[(REMOVE, "Remove the review"), (DISMISS, "Dismiss the report")])
    note = forms.CharField(label="Reason", required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REMOVE and len(data.get("note", "").strip()) < 5:
            self.add_error(
                "note", "Say why the review is removed (5 to 2,000 characters): its author reads it."
            )
        return data
