"""Job and proposal files, handed out only to those who may see the job or proposal."""

from django.http import FileResponse, Http404, HttpRequest

from marketplace.core.exceptions import NotFound
from marketplace.jobs import selectors
from marketplace.jobs.files import attachment_response


def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    try:
        attachment = selectors.attachment_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return attachment_response(attachment)
