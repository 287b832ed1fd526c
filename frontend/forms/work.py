"""The proposal form (new and edit): cover letter, price or hourly rate, duration and files, with the
shared milestone schedule formset for fixed-price jobs. Forms parse and convert (major → minor units);
``services.proposal_submit`` / ``proposal_update`` decide, and their refusals land next to the fields."""

from django import forms
from django.core.exceptions import ValidationError

from marketplace.core.exceptions import DomainError
from marketplace.core.money import format_money, minor_to_major
from marketplace.jobs.models import Job, Proposal

from .jobs import MultipleFileField, add_service_error
from .money import MilestoneFormSet, MoneyAmountField, milestone_initial, money_to_minor

MILESTONES_PREFIX = "milestones"


class ProposalForm(forms.Form):
    cover_letter = forms.CharField(
        label="Cover letter",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text="What you would do, how, and why you fit: 20 to 10,000 characters. The client reads "
        "this first.",
        error_messages={"required": "Write a cover letter: what you would do and why you fit."},
    )
    amount = MoneyAmountField(label="Your price", help_text="The price for the whole job.")
    duration = forms.ChoiceField(label="How long it will take", choices=Job.Duration.choices)
    attachments = MultipleFileField(
        label="Attachments",
        required=False,
        help_text="Samples of similar work, a plan: PDF, images, text, Word, Excel or PowerPoint.",
    )

    def __init__(self, *args, job: Job, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = job.currency
        if job.budget_type == Job.BudgetType.HOURLY:
            self.fields["amount"].label = "Your hourly rate"
            low = format_money(job.hourly_min_minor, job.currency)
            high = format_money(job.hourly_max_minor, job.currency)
            self.fields["amount"].help_text = f"The client offers {low} to {high} an hour."
        else:
            budget = format_money(job.budget_minor, job.currency)
            self.fields["amount"].help_text = f"The price for the whole job; the client's budget is {budget}."

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("amount") is not None:
            try:
                cleaned["amount_minor"] = money_to_minor(cleaned["amount"], self.currency)
            except ValidationError as exc:
                self.add_error("amount", exc)
        return cleaned


def proposal_forms(job: Job, data=None, files=None, *, proposal: Proposal | None = None):
    """(form, milestone formset or None for hourly work), starting from the proposal being edited,
    else from the job's budget as one milestone."""
    if proposal is not None:
        initial = {
            "cover_letter": proposal.cover_letter,
            "amount": minor_to_major(proposal.amount_minor, proposal.currency),
            "duration": proposal.duration,
        }
        schedule = milestone_initial(proposal.milestones, proposal.currency)
    else:
        budget = minor_to_major(job.budget_minor, job.currency)
        initial = {"duration": job.duration, "amount": budget}
        schedule = [{"title": job.title, "amount": budget}]
    form = ProposalForm(data, files, job=job, initial=initial)
    formset = None
    if job.budget_type == Job.BudgetType.FIXED:
        formset = MilestoneFormSet(data, prefix=MILESTONES_PREFIX, initial=schedule)
    return form, formset


def _kept_forms(formset) -> list[forms.Form]:
    """The milestone rows that make up the schedule, in the order the service numbers them."""
    return [row for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]


def proposal_terms(form: ProposalForm, formset) -> dict | None:
    """The terms as the services take them (minor units), or None while the input has errors."""
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return None
    milestones = formset.milestones(form.currency) if formset is not None else []
    if formset is not None and any(row.errors for row in formset.forms):
        return None  # a milestone amount with more decimals than the currency has
    data = form.cleaned_data
    return {
        "cover_letter": data["cover_letter"],
        "amount_minor": data["amount_minor"],
        "milestones": milestones,
        "duration": data["duration"],
    }


def add_proposal_error(form: ProposalForm, formset, exc: DomainError, terms: dict | None = None) -> None:
    """A service's refusal on the page: the message on top, field errors by their fields, and the
    milestones' own errors on their rows (``milestones.<n>.<field>``) or under the schedule."""
    add_service_error(form, exc)
    if formset is None:
        return
    rows = _kept_forms(formset)
    for name, errors in exc.fields.items():
        parts = name.split(".")
        if parts[0] != "milestones":
            continue
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
            rows[int(parts[1])].add_error("title" if parts[2] == "title" else "amount", errors)
        elif exc.code == "milestones_do_not_add_up" and terms:
            total = sum(item["amount_minor"] for item in terms["milestones"])
            formset.non_form_errors().append(
                f"The milestones add up to {format_money(total, form.currency)}; "
                f"the price is {format_money(terms['amount_minor'], form.currency)}."
            )
        else:
            formset.non_form_errors().extend(errors)
