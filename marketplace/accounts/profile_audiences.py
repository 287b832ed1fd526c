"""Who else may open a freelancer's profile than its visibility says: higher apps tell accounts here.

A profile's visibility (public, or pool-only) decides who finds it. But someone working with the
freelancer — the client side of a contract — must be able to open the profile of the person they
work with, whatever its visibility, although accounts knows nothing of contracts. So such an app
registers, in its ``AppConfig.ready()``, a function of the viewer answering the ids of the freelancers
(users) whose profiles that viewer may open. Only the profile itself (``profile_for_viewer``) reads
them: lists and search show what visibility allows, nothing more.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_AUDIENCES: list[Callable[[object], QuerySet]] = []


def register_profile_audience(freelancer_ids_for: Callable[[object], QuerySet]) -> None:
    """``freelancer_ids_for(viewer)``: a ``values()`` queryset of user ids (one column)."""
    if freelancer_ids_for not in _AUDIENCES:
        _AUDIENCES.append(freelancer_ids_for)


def freelancer_ids_known_to(viewer) -> list[QuerySet]:
    """Each registered audience's freelancer ids for ``viewer`` (a logged-in user)."""
    return [freelancer_ids_for(viewer) for freelancer_ids_for in _AUDIENCES]
