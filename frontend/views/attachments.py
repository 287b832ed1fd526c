"""Attached files (of jobs, proposals, work handed in), handed out only to those their owner's app
lets see them (``marketplace.core.files``)."""

from django.http import FileResponse, Http404, HttpRequest

from marketplace.core.exceptions import NotFound
from marketplace.core.files import file_for_viewer, file_response


def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    try:
        attachment = file_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return file_response(attachment)
