"""Talent search's visibility matrix: every kind of actor of the permission-matrix world
(tests/support/world.py) against every kind of profile, through every way search tells something —
hits, the total, facet counts, autocomplete, highlights, and the page. Each profile carries words no
other has (a marker in its headline and bio, a skill, a surname), so anything that leaks shows.

Positive controls: each row also says who *does* find the profile, and they must.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from marketplace.accounts.models import FreelancerProfile, User
from tests.search.talent.builders import reindex, talent
from tests.support.world import ACTORS, build_world

A_ROLES = ["Aown", "Aadm", "Ahir", "Afin", "Avie"]
PEOPLE = [actor for actor in ACTORS if not actor.startswith("key")]

# object kind: (marker word, its skill, the surname it is found by, who finds it)
OBJECTS = {
    "public": ("quasarine", "Flutter", "Quillfeather", set(PEOPLE)),
    "pool_only": ("zephyrine", "Kotlin", "Zanderwick", {"pool", *A_ROLES, "staff"}),
    "pool_ended": ("marlowite", "Terraform", "Mossgrove", {"ended", "staff"}),
    "suspended": ("vortexian", "Plumbing", "Vexhollow", {"staff"}),
    "inactive": ("nebulite", "Tableau", "Nimbleton", set()),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, fake_stripe_server, tmp_path_factory):
    """The matrix world plus one profile of each kind, indexed; built once, rolled back after."""
    overrides = {
        "MEDIA_ROOT": tmp_path_factory.mktemp("talent-media"),
        "STRIPE_API_BASE": fake_stripe_server.url,
        "STRIPE_SECRET_KEY": fake_stripe_server.secret_key,
        "STRIPE_PUBLISHABLE_KEY": fake_stripe_server.publishable_key,
    }
    saved = {name: getattr(settings, name) for name in overrides}
    for name, value in overrides.items():
        setattr(settings, name, value)
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        users = built.users
        for kind, (marker, skill, surname, _) in OBJECTS.items():
            owner = {"public": users["fl"], "pool_only": users["pool"], "pool_ended": users["ended"]}.get(
                kind
            )
            profile = talent(
                f"Tess {surname}",
                headline=f"Quokka {marker} engineer",
                bio=f"Quokka work, {marker} projects.",
                skills=(skill,),
                user=owner,
                visibility="public" if kind in ("public", "suspended", "inactive") else "pool",
            )
            if owner is not None:
                User.objects.filter(pk=owner.pk).update(full_name=f"Tess {surname}")
            if kind == "suspended":
                User.objects.filter(pk=profile.user_id).update(suspended_at=timezone.now())
            if kind == "inactive":
                User.objects.filter(pk=profile.user_id).update(is_active=False)
        reindex()
        clients = {}
        for name in ACTORS:
            client = Client()
            if built.users.get(name) is not None:
                client.force_login(built.users[name])
            if name in built.keys:
                client.defaults["HTTP_X_API_KEY"] = built.keys[name]
            clients[name] = client
        yield clients
        transaction.set_rollback(True)
    for name, value in saved.items():
        setattr(settings, name, value)


def _search(client, **params) -> dict:
    response = client.get("/api/search/talent/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _told(client, marker: str, skill: str, surname: str) -> dict:
    """Everything search says about the object, each a bool: whether it showed."""
    by_marker = _search(client, q=marker)
    everyone = _search(client, q="quokka")
    skills = {value["label"] for value in everyone["facets"]["skills"]}
    suggested = client.get("/api/search/talent/autocomplete/", {"q": surname[:5]}).json()["people"]
    highlights = " ".join(h["html"] for hit in everyone["results"] for h in hit["highlights"])
    # the page's results and facets (htmx's part: the full page also repeats the words searched for)
    page = client.get("/talent/", {"q": marker}, HTTP_HX_REQUEST="true").content.decode()
    return {
        "hits": any(marker in hit["profile"]["headline"].lower() for hit in everyone["results"]),
        "total": by_marker["count"] > 0,
        "facets": skill in skills,
        "autocomplete": any(surname in person["full_name"] for person in suggested),
        "highlights": marker in highlights.lower(),
        "page": marker in page.lower(),
    }


@pytest.mark.parametrize("kind", OBJECTS)
@pytest.mark.parametrize("actor", PEOPLE)
def test_each_viewer_finds_exactly_what_they_may_see(world, actor, kind, db):
    marker, skill, surname, allowed = OBJECTS[kind]
    told = _told(world[actor], marker, skill, surname)
    expected = actor in allowed
    assert told == dict.fromkeys(told, expected), f"{actor} / {kind}: {told}"


def test_the_suspended_and_inactive_stay_in_the_rows(world, db):
    """The hidden kinds are real rows (so their absence above is search's doing, not the world's)."""
    assert FreelancerProfile.objects.filter(
        user__suspended_at__isnull=False, headline__icontains="vortexian"
    ).exists()
    assert FreelancerProfile.objects.filter(user__is_active=False, headline__icontains="nebulite").exists()


@pytest.mark.parametrize("actor", ["keyA", "keyB"])
def test_api_keys_are_refused(world, actor, db):
    for url in ("/api/search/talent/", "/api/search/talent/autocomplete/?q=te"):
        response = world[actor].get(url)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "api_key_not_allowed"
