"""Freelancer and client profiles, avatars and portfolio items."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from marketplace.core.exceptions import InvalidInput, NotFound, PermissionDenied
from marketplace.core.markdown import markdown_to_safe_html

from ..models import City, ClientProfile, FreelancerProfile, Image, PortfolioItem, Skill, User
from .uploads import image_stored

MAX_TAGS = 10
MAX_TAG_LENGTH = 30
MAX_PORTFOLIO_ITEMS = 30


@dataclass(frozen=True, kw_only=True)
class FreelancerProfileInput:
    headline: str
    bio: str
    hourly_rate_minor: int | None
    currency: str
    city: City | None
    availability: str
    languages: list[str]
    skills: list[Skill]
    tags: list[str]
    visibility: str


def _freelancer_profile_of(user: User) -> FreelancerProfile:
    if not user.is_freelancer:
        raise PermissionDenied("Only freelancers have a freelancer profile.", code="not_a_freelancer")
    return FreelancerProfile.objects.select_for_update().get(user=user)


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split()).lower()
        if not tag or tag in cleaned:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(f"Tags are at most {MAX_TAG_LENGTH} characters.", code="tag_too_long")
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"Use at most {MAX_TAGS} tags.", code="too_many_tags")
    return cleaned


def _timezone_follows_city(user: User, old_city_id: int | None, city: City | None) -> None:
    """A city set or changed sets the account's time zone to the city's; keeping the city keeps
    whatever the person chose in account settings since, and clearing it keeps the zone."""
    if city is not None and city.pk != old_city_id and city.timezone and user.timezone != city.timezone:
        user.timezone = city.timezone
        user.save(update_fields=["timezone"])


@transaction.atomic
def freelancer_profile_update(*, user: User, data: FreelancerProfileInput) -> FreelancerProfile:
    profile = _freelancer_profile_of(user)
    if data.currency not in settings.CURRENCIES:
        raise InvalidInput(
            f"Currency must be one of {', '.join(settings.CURRENCIES)}.", code="unknown_currency"
        )
    if data.visibility not in FreelancerProfile.Visibility.values:
        raise InvalidInput("Choose who can see the profile.", code="invalid_visibility")
    if data.availability not in FreelancerProfile.Availability.values:
        raise InvalidInput("Choose an availability.", code="invalid_availability")
    if data.hourly_rate_minor is not None and data.hourly_rate_minor <= 0:
        raise InvalidInput("The hourly rate must be more than zero.", code="invalid_rate")
    profile.headline = data.headline.strip()
    profile.bio = data.bio
    profile.bio_html = markdown_to_safe_html(data.bio)
    profile.hourly_rate_minor = data.hourly_rate_minor
    profile.currency = data.currency
    _timezone_follows_city(user, profile.city_id, data.city)
    profile.city = data.city
    profile.availability = data.availability
    profile.languages = list(dict.fromkeys(data.languages))
    profile.tags = _clean_tags(data.tags)
    profile.visibility = data.visibility
    profile.save()
    profile.skills.set(data.skills)
    return profile


@transaction.atomic
def client_profile_update(*, user: User, company_name: str, website: str, city: City | None) -> ClientProfile:
    if not user.is_client:
        raise PermissionDenied("Only clients have a client profile.", code="not_a_client")
    profile = ClientProfile.objects.select_for_update().get(user=user)
    profile.company_name = company_name.strip()
    profile.website = website
    _timezone_follows_city(user, profile.city_id, city)
    profile.city = city
    profile.save()
    return profile


@transaction.atomic
def avatar_set(*, user: User, data: bytes) -> Image:
    profile = _freelancer_profile_of(user)
    with image_stored(owner=user, data=data, kind=Image.Kind.AVATAR) as image:
        old = profile.avatar
        profile.avatar = image
        profile.save(update_fields=["avatar", "updated_at"])
    if old is not None:
        _image_delete_on_commit(old)
    return image


@transaction.atomic
def avatar_remove(*, user: User) -> None:
    profile = _freelancer_profile_of(user)
    if profile.avatar is not None:
        old = profile.avatar
        profile.avatar = None
        profile.save(update_fields=["avatar", "updated_at"])
        _image_delete_on_commit(old)


def _image_delete_on_commit(image: Image) -> None:
    """Delete the row now and its files once the deletion is committed."""
    paths = [image.file.name, *image.renditions.values()]
    storage = image.file.storage
    image.delete()
    transaction.on_commit(lambda: [storage.delete(path) for path in paths])


def _portfolio_item_of(user: User, item_id: int) -> PortfolioItem:
    item = PortfolioItem.objects.select_for_update().filter(pk=item_id, profile__user=user).first()
    if item is None:
        raise NotFound("No such portfolio item in your portfolio.", code="portfolio_item_not_found")
    return item


@transaction.atomic
def portfolio_item_create(
    *, user: User, title: str, description: str, url: str, image_data: bytes | None
) -> PortfolioItem:
    profile = _freelancer_profile_of(user)
    count = profile.portfolio_items.count()
    if count >= MAX_PORTFOLIO_ITEMS:
        raise InvalidInput(f"A portfolio holds at most {MAX_PORTFOLIO_ITEMS} items.", code="portfolio_full")
    item = PortfolioItem(
        profile=profile, title=title.strip(), description=description, url=url, position=count
    )
    if image_data is None:
        item.save()
        return item
    with image_stored(owner=user, data=image_data, kind=Image.Kind.PORTFOLIO) as image:
        item.image = image
        item.save()
    return item


@transaction.atomic
def portfolio_item_update(
    *, user: User, item_id: int, title: str, description: str, url: str, image_data: bytes | None
) -> PortfolioItem:
    item = _portfolio_item_of(user, item_id)
    item.title = title.strip()
    item.description = description
    item.url = url
    if image_data is None:
        item.save()
        return item
    old = item.image
    with image_stored(owner=user, data=image_data, kind=Image.Kind.PORTFOLIO) as image:
        item.image = image
        item.save()
    if old is not None:
        _image_delete_on_commit(old)
    return item


@transaction.atomic
def portfolio_item_delete(*, user: User, item_id: int) -> None:
    item = _portfolio_item_of(user, item_id)
    image = item.image
    item.delete()
    if image is not None:
        _image_delete_on_commit(image)
