"""A worker signs a pool's agreement in the page by typing their name: the signature keeps the
agreement's title, text and version as they read when signed, the time, the IP address the request
came from and the browser's user agent; then the membership is evaluated again."""

from django.db import IntegrityError, transaction

from marketplace.accounts.models import User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound

from ..models import AgreementSignature
from .joining import joined_membership
from .lifecycle import membership_reevaluate

NAME_MAX = 200
USER_AGENT_MAX = 300


def _name_error(code: str, message: str) -> InvalidInput:
    return InvalidInput(message, code=code, fields={"signed_name": [{"code": code, "message": message}]})


def signed_name_clean(user: User, signed_name: str) -> str:
    """The typed name: not empty, at most 200 characters, and the account's name (ignoring case and
    surrounding spaces) when the account has one."""
    name = " ".join((signed_name or "").split())
    if not name:
        raise _name_error("required", "Type your full name to sign.")
    if len(name) > NAME_MAX:
        raise _name_error("too_long", f"At most {NAME_MAX} characters.")
    own = " ".join((user.full_name or "").split())
    if own and name.casefold() != own.casefold():
        raise _name_error("name_mismatch", f"Type your full name as it is on your account: {own}.")
    return name


@transaction.atomic
def agreement_sign(
    *,
    acting_user: User,
    membership_id: int,
    requirement_id: int,
    signed_name: str,
    ip: str | None,
    user_agent: str = "",
) -> AgreementSignature:
    membership = joined_membership(acting_user, membership_id)
    requirement = membership.pool.requirements.filter(pk=requirement_id, kind="agreement").first()
    if requirement is None:
        raise NotFound("No such agreement in this pool.", code="agreement_not_found")
    name = signed_name_clean(acting_user, signed_name)
    version = requirement.config.get("version")
    signed = Conflict(f"You have already signed version {version} of this agreement.", code="already_signed")
    if AgreementSignature.objects.filter(
        worker=acting_user, requirement=requirement, version=version
    ).exists():
        raise signed
    try:
        with transaction.atomic():
            signature = AgreementSignature.objects.create(
                worker=acting_user,
                requirement=requirement,
                version=version,
                title=requirement.config.get("title", ""),
                text=requirement.config.get("text", ""),
                signed_name=name,
                ip=ip or None,
                user_agent=(user_agent or "")[:USER_AGENT_MAX],
            )
    except IntegrityError as exc:  # the same signature sent twice at once
        raise signed from exc
    audit_record(
        actor=acting_user,
        action="pool.agreement.sign",
        target=membership.pool.organisation,
        summary=f"Signed “{signature.title}” v{version} as {name} (membership {membership.pk})",
        membership=membership.pk,
        ip=ip or "",
    )
    membership_reevaluate(membership.pk)
    return signature
