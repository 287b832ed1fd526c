"""Reads, already filtered to what the viewer may see.

Pool-only profiles are visible to the freelancer, to staff, and to members of organisations
whose pools hold an *active* membership for that freelancer; everyone else gets a 404, as if the
profile did not exist. A profile itself (not the lists) also opens for those who work with the
freelancer (``profile_audiences``: the client side of a contract).
"""

import operator
from collections.abc import Iterable
from functools import reduce

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from marketplace.core.audit import audit_trail
from marketplace.core.exceptions import NotFound, PermissionDenied

from .models import (
    Badge,
    City,
    ClientProfile,
    FreelancerProfile,
    Image,
    PortfolioItem,
    Skill,
    User,
)
from .profile_audiences import freelancer_ids_known_to


def _profile_queryset() -> QuerySet[FreelancerProfile]:
    return (
        FreelancerProfile.objects.select_related("user__freelancer_reputation", "city", "avatar")
        .prefetch_related(
            "skills",
            Prefetch("user__badges", queryset=Badge.objects.order_by("kind")),
            Prefetch("portfolio_items", queryset=PortfolioItem.objects.select_related("image")),
        )
        .filter(user__is_active=True)
    )


def _visible_profiles(profiles: QuerySet[FreelancerProfile], viewer) -> QuerySet[FreelancerProfile]:
    if getattr(viewer, "is_staff", False):
        return profiles
    public = Q(
        visibility=FreelancerProfile.Visibility.PUBLIC,
        user__suspended_at__isnull=True,
        user__is_freelancer=True,
    )
    if not getattr(viewer, "is_authenticated", False):
        return profiles.filter(public)
    # The organisations app's pool memberships, reached through the user's related name: accounts
    # imports nothing above it (the query is the one that app would write).
    pool_memberships = User.pool_memberships.rel.related_model.objects
    in_viewers_pools = pool_memberships.filter(
        freelancer=OuterRef("user"),
        status="active",
        pool__organisation__memberships__user=viewer,
    )
    pool_visible = Q(
        Exists(in_viewers_pools),
        user__suspended_at__isnull=True,
        visibility=FreelancerProfile.Visibility.POOL,
    )
    return profiles.filter(public | pool_visible | Q(user=viewer))


def profiles_visible_to(viewer) -> QuerySet[FreelancerProfile]:
    return _visible_profiles(_profile_queryset(), viewer)


def profiles_listed_for(viewer) -> QuerySet[FreelancerProfile]:
    """The profiles list: those the viewer may see, most recently updated first. Plain rows (the
    account's state is read through the user's primary key), paged on the ``(updated_at, id)``
    index; page over its ids and load the page with ``profile_rows``."""
    profiles = FreelancerProfile.objects.filter(user__is_active=True)
    return _visible_profiles(profiles, viewer).order_by("-updated_at", "-pk")


def profiles_with_skill(profiles: QuerySet[FreelancerProfile], slug: str) -> QuerySet[FreelancerProfile]:
    """Those with the skill, tested per row (a join would multiply the rows the count reads)."""
    tagged = FreelancerProfile.skills.through.objects.filter(
        freelancerprofile=OuterRef("pk"), skill__slug=slug
    )
    return profiles.filter(Exists(tagged))


def profile_rows(
    ids: Iterable[int], *, within: QuerySet[FreelancerProfile] | None = None
) -> list[FreelancerProfile]:
    """A page of profiles by id, in the order given, with what a summary shows: the user and their
    reputation, city and avatar (one query), skills and badges (one each); not the portfolio.
    ``within``: only those of these rows (a visibility selector's), checked in the same query."""
    ids = list(ids)
    rows = (FreelancerProfile.objects.all() if within is None else within).filter(pk__in=ids)
    rows = rows.select_related("user__freelancer_reputation", "city", "avatar").prefetch_related(None)
    rows = rows.prefetch_related("skills", Prefetch("user__badges", queryset=Badge.objects.order_by("kind")))
    by_id = {profile.pk: profile for profile in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def image_for_viewer(*, uuid, viewer) -> tuple[Image, bool]:
    """A profile image (avatar or portfolio picture) and whether it is public, if ``viewer`` may see
    it: its owner and staff always, anyone else while they may see a profile that shows it (so a
    pool-only profile's pictures go with the profile, and stop when the pool membership does).
    Anything else is a 404 that reveals nothing."""
    image = Image.objects.filter(uuid=uuid).first()
    if image is None:
        raise NotFound("No such image.", code="image_not_found")
    showing = FreelancerProfile.objects.filter(user__is_active=True).filter(
        Q(avatar=image) | Q(portfolio_items__image=image)
    )
    public = _visible_profiles(showing, None).exists()
    own = getattr(viewer, "is_authenticated", False) and (viewer.pk == image.owner_id or viewer.is_staff)
    if not (
        public
        or own
        or _visible_profiles(showing, viewer).exists()
        or _profiles_worked_with(showing, viewer).exists()
    ):
        raise NotFound("No such image.", code="image_not_found")
    return image, public


def _profiles_worked_with(profiles: QuerySet[FreelancerProfile], viewer) -> QuerySet[FreelancerProfile]:
    """Of these profiles, those of freelancers the viewer works with (``profile_audiences``: the
    client side of a contract), whatever the profile's visibility, unless the account is suspended."""
    if not getattr(viewer, "is_authenticated", False):
        return profiles.none()
    known = [Q(user__in=freelancer_ids) for freelancer_ids in freelancer_ids_known_to(viewer)]
    if not known:
        return profiles.none()
    return profiles.filter(reduce(operator.or_, known), user__suspended_at__isnull=True)


def profile_for_viewer(*, handle: str, viewer) -> FreelancerProfile:
    """The profile, if its visibility shows it to the viewer or the viewer works with the freelancer
    (``profile_audiences``: the client side of a contract), unless the account is suspended."""
    profile = profiles_visible_to(viewer).filter(handle=handle).first()
    if profile is None:
        profile = _profiles_worked_with(_profile_queryset(), viewer).filter(handle=handle).first()
    if profile is None:
        raise NotFound("No such freelancer profile.", code="profile_not_found")
    return profile


def cities_matching(query: str, *, limit: int = 10) -> QuerySet[City]:
    query = query.strip()
    if len(query) < 2 or "\x00" in query:  # PostgreSQL refuses NUL in text; no city has one
        return City.objects.none()
    return City.objects.filter(name__istartswith=query).order_by("-population")[:limit]


def users_for_staff(query: str = "") -> QuerySet[User]:
    users = User.objects.order_by("-date_joined")
    if query:
        users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    return users


def user_for_staff(user_id: int) -> User:
    user = User.objects.filter(pk=user_id).prefetch_related("badges", "memberships__organisation").first()
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


def user_audit_trail(user: User):
    return audit_trail(user)


# --- One's own account and profiles (the pages under /profile/ and /dashboard/) -------------------


def freelancer_profile_of(user) -> FreelancerProfile:
    """The user's own freelancer profile, for editing; refused if they do not work as a freelancer."""
    if not getattr(user, "is_freelancer", False):
        raise PermissionDenied("Only freelancers have a freelancer profile.", code="not_a_freelancer")
    return (
        FreelancerProfile.objects.select_related("user__freelancer_reputation", "city", "avatar")
        .prefetch_related("skills")
        .get(user=user)
    )


def client_profile_of(user) -> ClientProfile:
    if not getattr(user, "is_client", False):
        raise PermissionDenied("Only clients have a client profile.", code="not_a_client")
    return ClientProfile.objects.select_related("city").get(user=user)


def skills_by_category() -> QuerySet[Skill]:
    return Skill.objects.order_by("category", "name")


def skill_names(slugs) -> dict[str, str]:
    """The names of the skills with these slugs (facet labels), by slug; no query for none."""
    slugs = list(slugs)
    return dict(Skill.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}


def portfolio_items_of(user) -> QuerySet[PortfolioItem]:
    return PortfolioItem.objects.filter(profile__user=user).select_related("image").order_by("position", "id")


def portfolio_item_of(user, item_id: int) -> PortfolioItem:
    item = portfolio_items_of(user).filter(pk=item_id).first()
    if item is None:
        raise NotFound("No such portfolio item in your portfolio.", code="portfolio_item_not_found")
    return item


def profile_checklist(profile: FreelancerProfile) -> list[tuple[str, bool]]:
    """What a complete profile has, each with whether this one has it (the dashboard's meter)."""
    return [
        ("A photo", profile.avatar_id is not None),
        ("A headline", bool(profile.headline)),
        ("A bio", bool(profile.bio.strip())),
        ("At least three skills", len(profile.skills.all()) >= 3),
        ("An hourly rate", profile.hourly_rate_minor is not None),
        ("A city", profile.city_id is not None),
        ("Languages you work in", bool(profile.languages)),
        ("A portfolio item", profile.portfolio_items.exists()),
    ]
