"""The files kernel's removal of a credential's file: refused. The file is the record a reviewer
verified or rejected; a worker replaces a credential by uploading a new one."""

from marketplace.core.exceptions import PermissionDenied

POOL_CREDENTIAL_FILES = "pool_credential"


def credential_file_remove(*, acting_user, file) -> None:
    raise PermissionDenied(
        "A credential's file stays with its record; upload a new one instead.", code="credential_file_kept"
    )
