"""The middleware stacks the bench's WSGI application can serve, chosen per request by a header.

``full`` (the default) is exactly settings.MIDDLEWARE; ``bare`` is none at all;
``without:<dotted path>`` is the stack minus that middleware and minus those that need it.
"""

STACK_HEADER = "X-Bench-Stack"

# Middleware that fails without another one (it reads request.session): dropped with it.
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
DEPENDS_ON = {
    "django.contrib.auth.middleware.AuthenticationMiddleware": SESSIONS,
    "django.contrib.messages.middleware.MessageMiddleware": SESSIONS,
}


def dropped_with(name: str) -> list[str]:
    return [name, *(other for other, needs in DEPENDS_ON.items() if needs == name)]


def variants(middleware: list[str]) -> dict[str, list[str]]:
    chosen = {"full": list(middleware), "bare": []}
    for name in middleware:
        dropped = dropped_with(name)
        chosen[f"without:{name}"] = [other for other in middleware if other not in dropped]
    return chosen
