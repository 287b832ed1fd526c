"""Hand-built documents for the real talent and jobs definitions: the contract suite needs no rows."""

from search.indexes.base import document
from search.types import Document

BERLIN = (52.52, 13.405)
POTSDAM = (52.3906, 13.0645)  # about 27 km from Berlin
HAMBURG = (53.5511, 9.9937)  # about 255 km
MUNICH = (48.1351, 11.582)  # about 504 km

PUBLIC = ("public",)


def talent(
    id: int,
    *,
    name: str = "",
    headline: str = "",
    skills: tuple[str, ...] = (),
    portfolio: str = "",
    bio: str = "",
    country: str | None = None,
    availability: str = "full_time",
    badges: tuple[str, ...] = (),
    pools: tuple[str, ...] = (),
    rate: int | None = None,
    rating: float | None = None,
    jss: int | None = None,
    audience: tuple[str, ...] = PUBLIC,
    location: tuple[float, float] | None = None,
) -> Document:
    fields = {
        "name": name or f"Person {id}",
        "headline": headline,
        "skills_text": " ".join(skill.replace("-", " ").title() for skill in skills),
        "portfolio": portfolio,
        "bio": bio,
        "skills": tuple(skills),
        "country": country,
        "availability": availability,
        "badges": tuple(badges),
        "currency": "USD",
        "pools": tuple(pools),
        "rate": rate,
        "rating": rating,
        "jss": jss,
        "updated": 1_700_000_000 + id,
    }
    return document(id=id, fields=fields, audience=audience, location=location)


def job(
    id: int,
    *,
    title: str = "",
    description: str = "",
    skills: tuple[str, ...] = (),
    category: str = "web",
    budget_type: str = "fixed",
    location_type: str = "remote",
    low: int | None = None,
    high: int | None = None,
    client_rating: float | None = None,
    opened: int = 1_700_000_000,
    audience: tuple[str, ...] = PUBLIC,
    location: tuple[float, float] | None = None,
) -> Document:
    fields = {
        "title": title or f"Job {id}",
        "skills_text": " ".join(skill.replace("-", " ").title() for skill in skills),
        "description": description,
        "skills": tuple(skills),
        "category": category,
        "budget_type": budget_type,
        "location_type": location_type,
        "experience_level": "intermediate",
        "currency": "USD",
        "budget_low": low,
        "budget_high": high,
        "client_rating": client_rating,
        "opened": opened,
    }
    return document(id=id, fields=fields, audience=audience, location=location)
