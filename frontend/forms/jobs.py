"""Forms for the client's job pages: posting and editing a job, inviting, sorting proposals,
sending an offer, ending a contract.

They parse and shape input (major units → minor units, skills and city → ids); the services
decide what is allowed and raise ``DomainError``s, which ``add_service_error`` shows next to the
fields they concern.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from marketplace.accounts.models import City, Skill
from marketplace.contracts.models import Contract
from marketplace.core.exceptions import DomainError
from marketplace.core.money import minor_to_major
from marketplace.core.text import validate_single_line_text
from marketplace.jobs.models import Job
from marketplace.organisations.models import TalentPool

from .money import MoneyAmountField, money_to_minor

# The form's amount fields (major units) and the service's fields (minor units) they become.
MONEY_FIELDS = {"budget": "budget_minor", "hourly_min": "hourly_min_minor", "hourly_max": "hourly_max_minor"}
# What the file picker offers (the service sniffs the content whatever the name says).
ATTACHMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.txt,.md,.csv,.docx,.xlsx,.pptx"
SERVICE_TO_FORM = {minor: major for major, minor in MONEY_FIELDS.items()} | {"amount_minor": "amount"}


def add_service_error(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal on the form: its message at the top, its field errors next to the fields
    (the service names fields in minor units, ``budget_minor``; the form in major, ``budget``)."""
    form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        name = SERVICE_TO_FORM.get(name, name)
        if name in form.fields:
            form.add_error(name, errors)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; ``cleaned_data`` holds a list (empty when none were chosen)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _pool_choices(organisations) -> list:
    """The pools a pool job may be for, grouped by organisation (the default pool if none chosen)."""
    pools = TalentPool.objects.filter(organisation__in=organisations).select_related("organisation")
    grouped: dict[str, list] = {}
    for pool in pools.order_by("organisation__name", "-is_default", "name"):
        grouped.setdefault(pool.organisation.name, []).append((str(pool.pk), pool.name))
    return [("", "The organisation's default pool"), *grouped.items()]


class JobForm(forms.Form):
    """Every field of a job (``services.jobs.JOB_FIELDS``), plus who posts it and files to attach."""

    title = forms.CharField(
        validators=[validate_single_line_text],
        max_length=120,
        help_text="What you need, in a few words: “Booking page for a yoga studio”.",
    )
    description = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: **bold**, *italic*, lists, links. Say what done looks like, "
        "what exists already and any deadline.",
    )
    category = forms.ChoiceField(choices=Job.Category.choices)
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    budget_type = forms.ChoiceField(
        label="How you pay", choices=Job.BudgetType.choices, widget=forms.RadioSelect, initial="fixed"
    )
    currency = forms.ChoiceField()
    budget = MoneyAmountField(label="Budget", required=False, help_text="The price for the whole job.")
    hourly_min = MoneyAmountField(label="Lowest hourly rate", required=False)
    hourly_max = MoneyAmountField(label="Highest hourly rate", required=False)
    duration = forms.ChoiceField(label="Expected duration", choices=Job.Duration.choices)
    experience_level = forms.ChoiceField(
        label="Experience level", choices=Job.ExperienceLevel.choices, widget=forms.RadioSelect
    )
    location_type = forms.ChoiceField(
        label="Where", choices=Job.LocationType.choices, widget=forms.RadioSelect, initial="remote"
    )
    city = forms.ModelChoiceField(
        queryset=City.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose a city from the suggestions."},
    )
    radius_km = forms.IntegerField(
        label="Radius (km)",
        required=False,
        min_value=1,
        max_value=20_000,
        initial=25,
        help_text="How far from the city the work may be.",
    )
    visibility = forms.ChoiceField(
        label="Who can see it", choices=Job.Visibility.choices, widget=forms.RadioSelect, initial="public"
    )
    pool = forms.ChoiceField(
        label="Talent pool",
        required=False,
        help_text="For a talent pool job: whose active members see it and can be offered it.",
    )
    hires_wanted = forms.IntegerField(
        label="Freelancers to hire",
        min_value=1,
        max_value=50,
        initial=1,
        help_text="The job closes by itself once this many offers are accepted.",
    )
    post_for = forms.ChoiceField(label="Post for", required=False)
    attachments = MultipleFileField(
        label="Attachments",
        required=False,
        help_text="Briefs, sketches, spreadsheets: PDF, images, text, Word, Excel or PowerPoint.",
    )

    def __init__(
        self, *args, skills, organisations=(), allow_self: bool = True, job: Job | None = None, **kw
    ):
        """``organisations``: those the user may post for (``manage_jobs``); ``job``: the job being
        edited (who it is posted for no longer changes then)."""
        super().__init__(*args, **kw)
        self.fields["skills"].queryset = skills
        self.fields["currency"].choices = [(code, code) for code in settings.CURRENCIES]
        self.organisations = {str(org.pk): org for org in organisations}
        if job is not None:
            del self.fields["post_for"]
            can_pool = job.organisation_id is not None
        else:
            choices = [("", "Myself")] if allow_self else []
            choices += [(pk, org.name) for pk, org in self.organisations.items()]
            self.fields["post_for"].choices = choices
            self.fields["post_for"].required = not allow_self
            can_pool = bool(self.organisations)
        if not can_pool:
            self.fields["visibility"].choices = [
                choice for choice in Job.Visibility.choices if choice[0] != Job.Visibility.POOL
            ]
            del self.fields["pool"]
        else:
            posting_for = [job.organisation] if job is not None else list(self.organisations.values())
            self.fields["pool"].choices = _pool_choices(posting_for)

    @classmethod
    def initial_from(cls, fields: dict) -> dict:
        """Form initial data from a job's or a template's fields (minor units, ids)."""
        initial = {name: value for name, value in fields.items() if value is not None}
        currency = fields.get("currency") or settings.CURRENCIES[0]
        for major, minor in MONEY_FIELDS.items():
            initial.pop(minor, None)
            if fields.get(minor) is not None:
                initial[major] = minor_to_major(fields[minor], currency)
        return initial

    @property
    def organisation(self):
        """The organisation chosen under "Post for" (None: the user alone); after ``is_valid()``."""
        return self.organisations.get(self.cleaned_data.get("post_for") or "")

    def clean(self) -> dict:
        cleaned = super().clean()
        currency = cleaned.get("currency")
        for major, minor in MONEY_FIELDS.items():
            cleaned[minor] = None
            if currency and cleaned.get(major) is not None:
                try:
                    cleaned[minor] = money_to_minor(cleaned[major], currency)
                except ValidationError as exc:
                    self.add_error(major, exc)
        return cleaned

    def job_fields(self) -> dict:
        """The fields as ``job_create`` / ``job_update`` take them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "skills": [skill.pk for skill in data["skills"]],
            "budget_type": data["budget_type"],
            "currency": data["currency"],
            **{minor: data[minor] for minor in MONEY_FIELDS.values()},
            "duration": data["duration"],
            "experience_level": data["experience_level"],
            "location_type": data["location_type"],
            "city": data["city"].pk if data["city"] else None,
            "radius_km": data["radius_km"],
            "visibility": data["visibility"],
            "pool": data.get("pool") or None,
            "hires_wanted": data["hires_wanted"],
        }


class InviteForm(forms.Form):
    freelancer_handle = forms.SlugField(
        label="Freelancer's handle",
        max_length=60,
        help_text="The end of their profile's address, as in /freelancers/ana-costa/.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "ana-costa"}
        ),
    )
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Why you think they fit this job"}),
    )


class TemplateNameForm(forms.Form):
    name = forms.CharField(validators=[validate_single_line_text], label="Template name", max_length=120)


class ReasonForm(forms.Form):
    """A free-text reason or message (optional here; the service says when one is needed)."""

    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(ReasonForm):
    """Cancelling a contract: one of the reasons (the service requires it) and the canceller's words."""

    cancel_reason = forms.ChoiceField(
        label="Why is it cancelled?",
        required=False,
        choices=[("", "Choose a reason"), *Contract.CancelReason.choices],
        help_text="A client who cancels with “The work was not delivered” after a milestone was funded "
        "counts the contract against the freelancer's job success score.",
    )


class OfferForm(forms.Form):
    """An offer's terms. Fixed price: the total (split by the milestone formset); hourly: the rate
    and a weekly cap on hours."""

    title = forms.CharField(validators=[validate_single_line_text], label="Contract title", max_length=120)
    amount = MoneyAmountField(label="Total price")
    weekly_hour_cap = forms.IntegerField(
        label="Weekly hour limit",
        min_value=1,
        max_value=80,
        initial=40,
        help_text="The freelancer cannot bill more hours than this in a week.",
    )
    message = forms.CharField(
        label="Message to the freelancer",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, job: Job, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = job.currency
        if job.budget_type == Job.BudgetType.HOURLY:
            self.fields["amount"].label = "Hourly rate"
        else:
            del self.fields["weekly_hour_cap"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("amount") is not None:
            try:
                cleaned["amount_minor"] = money_to_minor(cleaned["amount"], self.currency)
            except ValidationError as exc:
                self.add_error("amount", exc)
        return cleaned
