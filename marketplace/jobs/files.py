"""Handing out a stored attachment. Files live under MEDIA_ROOT/attachments/, which neither Django's
media route nor the proxy serves (deploy/nginx.conf): the only way to a file is a view that has
just checked, through the selectors, that the viewer may see the job or proposal it belongs to."""

from django.http import FileResponse

from .models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download under its original name, never rendered in the site's origin."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
