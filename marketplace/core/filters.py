"""Query-string filters shared by the API and the pages (django-filter)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection


class IdsField(forms.ModelMultipleChoiceField):
    """Ids of rows, each refused (code ``out_of_range``) before any query when it is past what the
    primary-key column holds: SQLite raises ``OverflowError`` binding such a number (a 500), and no
    row can have it anyway. Unknown ids in range are ``invalid_choice``, as before."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range(self.queryset.model._meta.pk.get_internal_type())
        for given in value:
            try:
                number = int(str(given).strip())
            except ValueError:
                continue  # not a number at all: the parent answers ``invalid_pk_value``
            if not low <= number <= high:
                raise ValidationError(
                    "%(pk)s is out of range for an id.", code="out_of_range", params={"pk": given}
                )
        return super()._check_values(value)


class IdsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdsField
