"""The cached public pages (find work) as anonymous visitors see them; see ``marketplace.core.public_lists``.

The whole page is cached, rendered once with placeholders where each response needs its own values:
the CSP nonce (``csp_nonce``) and the CSRF token (``csrf_token``, which ``base.html`` gives htmx).
Every answer, the first included, substitutes this request's own: django-csp then sends the same
fresh nonce in the header, and Django's CSRF middleware sets this visitor's own cookie, exactly as
for a page rendered afresh. So no nonce or token is ever shared, and the stored entry holds no
cookie and no header but its content type. The placeholders are random per stored entry, so page
content cannot guess them. Caching only the list fragment would leave the layout, the filter form
and the skills taxonomy to render on every hit, which costs several times a cache lookup.

A rendering that used the real nonce or token anyway (``request.csp_nonce`` evaluated, the CSRF
cookie asked for), set a cookie or a header of its own, or answered anything but 200 is not stored.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from marketplace.core.public_lists import PublicList, is_anonymous_request

# What the page's answer may differ by besides the URL: htmx's request headers.
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_TARGET")
ATTRIBUTE = "public_page_placeholders"


@dataclass(frozen=True)
class Placeholders:
    nonce: str
    csrf_token: str

    @classmethod
    def new(cls) -> "Placeholders":
        return cls(nonce=f"nonce-{secrets.token_hex(16)}", csrf_token=f"csrf-{secrets.token_hex(16)}")


def placeholders_of(request: HttpRequest) -> Placeholders | None:
    """Set while a cacheable page renders; ``frontend.context_processors.site`` renders these."""
    return getattr(request, ATTRIBUTE, None)


def _filled(request: HttpRequest, body: str, placeholders: Placeholders) -> str:
    if placeholders.nonce in body:
        body = body.replace(placeholders.nonce, str(getattr(request, "csp_nonce", "")))
    if placeholders.csrf_token in body:
        body = body.replace(placeholders.csrf_token, get_token(request))
    return body


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and {name.lower() for name in response.headers} <= {"content-type"}
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "csp_nonce", None)  # django-csp's lazy nonce: true once evaluated
    )


def cached_public_page(public: PublicList, *, vary_on: tuple[str, ...] = HTMX_HEADERS) -> Callable:
    """Decorates a page view: anonymous GETs are answered from the cache (see the module)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_anonymous_request(request):
                return view(request, *args, **kwargs)
            variant = "page " + " ".join(f"{name}={request.META.get(name, '')}" for name in vary_on)
            key = public.entry_key(request, variant=variant)
            version, entry = public.lookup(key)
            if entry is None:
                placeholders = Placeholders.new()
                setattr(request, ATTRIBUTE, placeholders)
                response = view(request, *args, **kwargs)
                if not _storable(request, response):
                    if not response.streaming:
                        response.content = _filled(request, response.content.decode(), placeholders)
                    return response
                entry = (response.content.decode(), response["Content-Type"], placeholders)
                public.store(key, version, entry)
            body, content_type, placeholders = entry
            return HttpResponse(_filled(request, body, placeholders), content_type=content_type)

        return wrapper

    return decorator
