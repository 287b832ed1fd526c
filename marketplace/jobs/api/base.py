"""The jobs API's base view: the accounts API's session and API-key authentication, pagination
and error shape, plus the lookups every endpoint shares (the contracts API builds on it).

An organisation API key reads what the organisation's client side sees — its own jobs and their
proposals, invitations, offers and templates — through the ``*_of_organisation``
selectors, and what anonymous visitors read (find work, a public job and its files); anything
else answers 404 as if it did not exist. Every write with a key is refused
(403 ``api_key_read_only``), whichever endpoint it is sent to.
"""

from rest_framework.permissions import SAFE_METHODS

from marketplace.core.exceptions import NotFound, PermissionDenied
from marketplace.core.files import file_for_viewer, file_of_organisation
from marketplace.core.models import StoredFile
from marketplace.core.rest.authentication import is_api_key_request
from marketplace.core.rest.permissions import ApiAccess
from marketplace.core.rest.schema import errors
from marketplace.core.rest.views import ApiView
from marketplace.organisations.models import Organisation

from .. import selectors
from ..models import Job, JobTemplate, Offer, Proposal


class JobsApiAccess(ApiAccess):
    def has_permission(self, request, view) -> bool:
        if is_api_key_request(request) and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                "API keys are read-only; changes need a logged-in session.", code="api_key_read_only"
            )
        return super().has_permission(request, view)


class JobsApiView(ApiView):
    permission_classes = [JobsApiAccess]

    @property
    def key_organisation(self) -> Organisation | None:
        """The organisation of the request's API key; None for a session."""
        return self.request.auth.organisation if is_api_key_request(self.request) else None

    def job(self, pk: int) -> Job:
        if organisation := self.key_organisation:
            return selectors.job_of_organisation(pk=pk, organisation=organisation)
        return selectors.job_for_viewer(pk=pk, viewer=self.request.user)

    def readable_job(self, pk: int) -> Job:
        """``job``, and for an API key also a public job of anyone (what an anonymous visitor reads);
        the lists hanging off a job stay the key's own organisation's (``job``)."""
        if organisation := self.key_organisation:
            return selectors.job_of_organisation_or_public(pk=pk, organisation=organisation)
        return self.job(pk)

    def proposal(self, pk: int) -> Proposal:
        if organisation := self.key_organisation:
            return selectors.proposal_of_organisation(pk=pk, organisation=organisation)
        return selectors.proposal_for_viewer(pk=pk, viewer=self.request.user)

    def offer(self, pk: int) -> Offer:
        if organisation := self.key_organisation:
            return selectors.offer_of_organisation(pk=pk, organisation=organisation)
        return selectors.offer_for_viewer(pk=pk, viewer=self.request.user)

    def attachment(self, pk: int) -> StoredFile:
        """A file of anything the requester may see (the kernel asks the file's owner); for an API
        key, its organisation's files and those anonymous visitors may read (a public job's)."""
        if organisation := self.key_organisation:
            try:
                return file_of_organisation(pk=pk, organisation=organisation)
            except NotFound:
                return file_for_viewer(pk=pk, viewer=self.request.user)  # anonymous, for a key
        return file_for_viewer(pk=pk, viewer=self.request.user)

    def template(self, pk: int) -> JobTemplate:
        if organisation := self.key_organisation:
            return selectors.job_template_of_organisation(pk=pk, organisation=organisation)
        return selectors.job_template_for(pk=pk, user=self.request.user)


KEY_NOTE = (
    "\n\nAn organisation API key (`X-Api-Key`) may read its own organisation's rows here; anything else "
    "answers 404 as if it did not exist."
)
PUBLIC_KEY_NOTE = (
    "\n\nAn organisation API key (`X-Api-Key`) may read its own organisation's rows here, and what anonymous "
    "visitors may read (a public job); anything else answers 404 as if it did not exist."
)
WRITE_NOTE = (
    "\n\nNeeds a logged-in session; API keys are read-only (403 `api_key_read_only`). Who may do it is the "
    "service's rule, answered with its code: 403 `not_job_owner`, `not_a_member`, `role_forbids` (the job's "
    "client side) or `not_the_freelancer`; 409 `illegal_transition` for a move the state does not allow. "
    "The object in the URL is looked up (404 if you may not see it) and who may act is checked (403) "
    "before the request body is read: 400 (and 415) only for a caller who may act."
)
SESSION_NOTE = "\n\nNeeds a logged-in session; API keys are refused (403 `api_key_not_allowed`)."


def upload_errors(*, s404: str, s409: str) -> dict:
    """The error responses of an attachment upload (the checks of ``services.attachments``)."""
    return {
        **errors(400, 403, 404, s400="`empty_file`, `corrupt_image`, `invalid`", s404=s404, s409=s409),
        **errors(s413="`file_too_large`, `image_too_many_pixels`", s415="`unsupported_attachment_type`"),
    }
