"""The files kernel's removal of a credential's file: the worker may withdraw a credential (its record
and its file) while it still awaits review, say one uploaded by mistake; their memberships of that
organisation's pools are evaluated again. Once a reviewer verified or rejected it, the file is the
record of that decision and stays; the worker uploads a new one instead."""

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import PermissionDenied

from ..models import Credential, PoolMembership
from ..selectors.pools_worker import JOINED
from .lifecycle import membership_reevaluate

POOL_CREDENTIAL_FILES = "pool_credential"


def credential_file_remove(*, acting_user, file) -> None:
    credential = Credential.objects.select_for_update().filter(file=file).first()
    if credential is None or credential.worker_id != getattr(acting_user, "pk", None):
        raise PermissionDenied(
            "Only the worker who uploaded a credential can remove it.", code="not_the_worker"
        )
    if credential.status != Credential.Status.PENDING:
        raise PermissionDenied(
            "A reviewed credential's file stays with its record; upload a new one instead.",
            code="credential_file_kept",
        )
    organisation = credential.organisation
    summary = f"{credential.get_kind_display()} withdrawn before review (credential {credential.pk})"
    credential.delete()
    audit_record(actor=acting_user, action="pool.credential.withdraw", target=organisation, summary=summary)
    live = PoolMembership.objects.filter(
        freelancer=acting_user, pool__organisation=organisation, status__in=JOINED
    )
    for membership_id in live.values_list("pk", flat=True):
        membership_reevaluate(membership_id)
