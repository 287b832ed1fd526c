"""Forms of the pool managers' pages: the member list's filters (a GET form), adding a worker,
the reviewers' reason, tier and override fields."""

from django import forms
from django.conf import settings

from marketplace.organisations.models import PoolMembership
from marketplace.organisations.selectors.members import MemberFilters, requirement_label


class MemberFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        choices=PoolMembership.Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tier = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Tier")
    failing_rule = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Failing rule")
    expiring_within = forms.IntegerField(
        required=False, min_value=0, max_value=365, label="Expiring within (days)"
    )
    q = forms.CharField(required=False, max_length=100, label="Search")

    def __init__(self, data, *, pool, search_contacts: bool):
        super().__init__(data)
        self.fields["tier"].choices = [("", "Any tier"), *((t.pk, t.name) for t in pool.tiers.all())]
        self.fields["failing_rule"].choices = [
            ("", "Any rule"),
            *((r.pk, requirement_label(r)) for r in pool.requirements.all()),
        ]
        self.fields["q"].widget.attrs["placeholder"] = (
            "Name, handle or email" if search_contacts else "Name or handle"
        )

    def filters(self) -> MemberFilters:
        """The filters asked for; a field that does not validate is left out (a bookmark that no longer fits
        shows the whole list, with the field's error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        return MemberFilters(
            statuses=tuple(data.get("status") or ()),
            tier=data.get("tier"),
            failing_rule=data.get("failing_rule"),
            expiring_within=data.get("expiring_within"),
            q=data.get("q") or "",
        )


class ReviewReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)


class MemberAddForm(forms.Form):
    freelancer_handle = forms.CharField(max_length=60, label="Freelancer's handle")


class TierForm(forms.Form):
    tier = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, pool, initial=None):
        super().__init__(data, initial=initial)
        self.fields["tier"].choices = [("", "No tier"), *((t.pk, t.name) for t in pool.tiers.all())]


class OverrideGrantForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=settings.POOL_OVERRIDE_MAX_DAYS, initial=30)
    reason = forms.CharField(required=False, max_length=2000)
