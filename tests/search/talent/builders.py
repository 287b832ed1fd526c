"""Freelancer profiles for the talent search tests, written straight to the rows (the search reads
them as they are) and then indexed anew."""

from decimal import Decimal

from django.utils import timezone

from marketplace.accounts.models import Badge, City, FreelancerProfile, FreelancerReputation, Skill
from search.services.indexing import index_rebuild
from tests.factories import make_freelancer

_CITIES = {
    # name: (geonameid, country, latitude, longitude)
    "Berlin": (2950159, "DE", 52.52437, 13.41053),
    "Potsdam": (2852458, "DE", 52.39886, 13.06566),
    "Hamburg": (2911298, "DE", 53.55073, 9.99302),
    "Munich": (2867714, "DE", 48.13743, 11.57549),
    "Lisbon": (2267057, "PT", 38.71667, -9.13333),
    "Paris": (2988507, "FR", 48.85341, 2.3488),
}


def city(name: str) -> City:
    """The bundled city (the data migration's), or the same made here if the list lacks it."""
    geonameid, country, latitude, longitude = _CITIES[name]
    found = City.objects.filter(geonameid=geonameid).first()
    return found or City.objects.create(
        geonameid=geonameid,
        name=name,
        country_code=country,
        latitude=latitude,
        longitude=longitude,
        timezone="Europe/Berlin",
        population=100_000,
    )


def skill(name: str) -> Skill:
    return Skill.objects.get(name=name)


def talent(
    full_name: str,
    *,
    headline: str = "",
    bio: str = "",
    skills: tuple[str, ...] = (),
    rate: int | None = None,
    currency: str = "EUR",
    city_name: str | None = None,
    availability: str = FreelancerProfile.Availability.FULL_TIME,
    rating: str | None = None,
    jss: int | None = None,
    badges: tuple[str, ...] = (),
    visibility: str = FreelancerProfile.Visibility.PUBLIC,
    user=None,
) -> FreelancerProfile:
    """A freelancer with this profile (``rate`` in major units per hour)."""
    user = user or make_freelancer(full_name=full_name)
    profile = FreelancerProfile.objects.get(user=user)
    profile.headline = headline
    profile.bio = bio
    profile.hourly_rate_minor = None if rate is None else rate * 100
    profile.currency = currency
    profile.city = city(city_name) if city_name else None
    profile.availability = availability
    profile.visibility = visibility
    profile.save()
    profile.skills.set([skill(name) for name in skills])
    for kind in badges:
        Badge.objects.get_or_create(user=user, kind=kind)
    if rating is not None or jss is not None:
        FreelancerReputation.objects.update_or_create(
            user=user,
            defaults={
                "rating_avg": Decimal(rating) if rating else None,
                "rating_count": 3 if rating else 0,
                "job_success_score": jss,
                "computed_at": timezone.now(),
            },
        )
    return profile


def reindex() -> None:
    index_rebuild(index="talent")
