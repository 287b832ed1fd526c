"""Saving a job search, renaming it, turning its alerts on or off, deleting it: a person's own
searches, so the only rule besides their shape is the limit per person (``SAVED_SEARCHES_MAX``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.text import validate_single_line_text

from ..jobs.params import form_of, parameters_of
from ..models import SavedSearch

NAME_MAX = SavedSearch._meta.get_field("name").max_length


def _name_error(code: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={"name": [{"code": code, "message": message}]})


def _checked_name(name) -> str:
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise _name_error("required", "Give the search a name.")
    if len(name) > NAME_MAX:
        raise _name_error("max_length", f"A name has at most {NAME_MAX} characters.")
    try:
        validate_single_line_text(name)
    except ValidationError as exc:
        raise _name_error(exc.code, " ".join(exc.messages)) from exc
    return name


def checked_parameters(params) -> dict:
    """The search's own parameters, checked as the search page checks them (``InvalidInput`` with
    the fields' errors otherwise)."""
    if not isinstance(params, dict):
        raise InvalidInput("The parameters are an object of search parameters.", code="invalid")
    params = parameters_of(params)
    form = form_of(params)
    if not form.is_valid():
        fields = {
            name: [{"code": error.code or "invalid", "message": " ".join(error.messages)} for error in errors]
            for name, errors in form.errors.as_data().items()
        }
        raise InvalidInput("Some search parameters are not valid.", fields=fields)
    return params


def _own(acting_user, saved_search: SavedSearch) -> None:
    if saved_search.user_id != acting_user.pk:
        raise PermissionDenied("This saved search is someone else's.")


def saved_search_create(*, acting_user, name: str, params: dict, alerts: bool = True) -> SavedSearch:
    name, params = _checked_name(name), checked_parameters(params)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=acting_user.pk).first()  # one count at a time per person
        if SavedSearch.objects.filter(user=acting_user).count() >= settings.SAVED_SEARCHES_MAX:
            raise Conflict(
                f"You can keep at most {settings.SAVED_SEARCHES_MAX} saved searches: "
                "delete one to save another.",
                code="saved_searches_limit",
            )
        now = timezone.now()
        return SavedSearch.objects.create(
            user=acting_user,
            name=name,
            params=params,
            alerts=alerts,
            created_at=now,
            alerts_since=now,
            announced_until=now,
        )


def saved_search_update(
    *,
    acting_user,
    saved_search: SavedSearch,
    name: str | None = None,
    alerts: bool | None = None,
    params: dict | None = None,
) -> SavedSearch:
    """Rename it, turn its alerts on or off, or change its parameters. Alerts turned back on, or
    new parameters, announce only jobs opened from now on (never a backlog)."""
    _own(acting_user, saved_search)
    changes: dict = {}
    if name is not None:
        changes["name"] = _checked_name(name)
    if params is not None:
        changes["params"] = checked_parameters(params)
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
        if alerts is not None:
            changes["alerts"] = bool(alerts)
        restart = "params" in changes or (changes.get("alerts") and not locked.alerts)
        if restart:
            now = timezone.now()
            changes.update(alerts_since=now, announced_until=now, announced={})
        for field, value in changes.items():
            setattr(locked, field, value)
        if changes:
            locked.save(update_fields=list(changes))
    return locked


def saved_search_delete(*, acting_user, saved_search: SavedSearch) -> None:
    _own(acting_user, saved_search)
    SavedSearch.objects.filter(pk=saved_search.pk).delete()
