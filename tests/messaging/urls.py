"""The project's URLs plus stand-ins for the job pages the notification links point at.

The receivers ``reverse()`` the page names ``frontend:job_detail`` and the like; these tests
check who is told what, so they must not depend on those pages existing or rendering. A name
that the real ``frontend.urls`` already has is left alone (the stand-ins fill only the gaps).
"""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

import frontend.urls
from marketplace.config.urls import urlpatterns as project_urlpatterns

LINKED_PAGES = {
    "job_detail": "jobs/<int:pk>/",
    "job_proposals": "jobs/<int:pk>/proposals/",
    "my_invitations": "job-invitations/",
    "offer_detail": "offers/<int:pk>/",
    "contract_detail": "contracts/<int:pk>/",
}


def _stand_in(request, **kwargs) -> HttpResponse:
    return HttpResponse("stand-in page")


_existing = {pattern.name for pattern in frontend.urls.urlpatterns}
_stand_ins = [
    path(route, _stand_in, name=name) for name, route in LINKED_PAGES.items() if name not in _existing
]
_frontend = path("", include(([*frontend.urls.urlpatterns, *_stand_ins], "frontend")))

urlpatterns = [
    _frontend if isinstance(pattern, URLResolver) and pattern.namespace == "frontend" else pattern
    for pattern in project_urlpatterns
]
