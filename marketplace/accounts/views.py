"""Profile images (avatars, portfolio pictures), handed out only to those who may see a profile
showing them. Their files are under ``MEDIA_ROOT/images/``, which neither the media route nor the
proxy serves (``settings.PRIVATE_MEDIA_DIRS``, deploy/nginx.conf)."""

import mimetypes

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.http import require_safe

from marketplace.core.exceptions import NotFound

from .selectors import image_for_viewer


def _not_found() -> HttpResponse:
    response = HttpResponseNotFound("No such image.", content_type="text/plain")
    response["Cache-Control"] = "no-store"  # a shared cache must not keep a refusal for someone else
    return response


@require_safe
def image_file(request: HttpRequest, uuid, name: str) -> HttpResponse:
    """A public profile's picture is cacheable by anyone for ``PROFILE_IMAGE_CACHE_SECONDS``; any
    other is ``private, no-store``, so access ends when the right to see the profile does."""
    try:
        image, public = image_for_viewer(uuid=uuid, viewer=request.user)
    except NotFound:
        return _not_found()
    path = image.stored_path(name)
    if path is None or not image.file.storage.exists(path):
        return _not_found()
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(image.file.storage.open(path, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        response["Cache-Control"] = f"public, max-age={settings.PROFILE_IMAGE_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
