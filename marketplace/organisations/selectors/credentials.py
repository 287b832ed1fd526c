"""Who may download a worker's credential files: the worker, and the reviewers (``manage_pool``)
of the organisation it was uploaded for. Nobody else, and never an API key."""

from django.db.models import Q, QuerySet

from marketplace.core.models import StoredFile

from ..models import Credential, Membership
from ..permissions import ROLE_PERMISSIONS


def reviewer_roles() -> list[str]:
    return [role for role, permissions in ROLE_PERMISSIONS.items() if "manage_pool" in permissions]


def credentials_visible_to(viewer) -> QuerySet[Credential]:
    if not getattr(viewer, "is_authenticated", False):
        return Credential.objects.none()
    reviewing = Membership.objects.filter(user=viewer, role__in=reviewer_roles()).values("organisation_id")
    return Credential.objects.filter(Q(worker=viewer) | Q(organisation_id__in=reviewing))


def credential_files_visible_to(viewer) -> QuerySet:
    """Ids of the credential files the viewer may download (the files kernel asks)."""
    return credentials_visible_to(viewer).values("file_id")


def credential_files_of_organisation(organisation) -> QuerySet:
    """An organisation's API key reads no credential files."""
    return StoredFile.objects.none().values("pk")
