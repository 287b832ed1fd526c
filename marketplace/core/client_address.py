"""The client's address, as far as the proxies we run can vouch for it.

``X-Forwarded-For`` is a list the client starts and each proxy appends to (deploy/nginx.conf's
``$proxy_add_x_forwarded_for``); only the entries our own proxies appended can be trusted. With
``TRUSTED_PROXY_COUNT`` = N the client is the Nth entry from the right (the entry the first of our
proxies appended); with 0 (nothing in front of the app) the header is ignored and the peer's
``REMOTE_ADDR`` is the client. DRF's throttles, allauth's rate limits and the request log all ask
here, so they agree on who a caller is, and a made-up header cannot make anyone a new caller.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not trusted or not forwarded:
        return remote_addr
    entries = [entry.strip() for entry in forwarded.split(",")]
    # Fewer entries than proxies: the request came in past the outer ones; the leftmost entry was
    # still appended by one of ours (DRF's NUM_PROXIES reads it the same way).
    candidate = entries[-min(trusted, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: a proxy of ours would not have written it
        return remote_addr
