"""gzip for static files served by the app itself (the embedded default, where WhiteNoise serves them
straight from the apps, with no compressed copies made by ``collectstatic``).

Only responses under ``STATIC_URL`` are compressed: pages carry CSRF tokens and other secrets, and
compressing them beside reflected input opens them to BREACH. Listed before WhiteNoise's middleware,
so it sees the files WhiteNoise answers. Production serves WhiteNoise's precompressed files instead.
"""

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class StaticGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # A 206 (a Range request) is a slice of the file: compressing it would garble the slice.
        if response.status_code != 200 or not request.path_info.startswith(settings.STATIC_URL):
            return response
        return super().process_response(request, response)
