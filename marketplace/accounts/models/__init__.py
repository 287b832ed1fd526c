"""Accounts: users, profiles, reputation, places and skills, uploads."""

from .profiles import Badge, ClientProfile, FreelancerProfile, PortfolioItem, Skill
from .reference import City
from .reputation import ClientScorecard, FreelancerReputation
from .uploads import Image
from .users import User, UserManager

__all__ = [
    "Badge",
    "City",
    "ClientProfile",
    "ClientScorecard",
    "FreelancerProfile",
    "FreelancerReputation",
    "Image",
    "PortfolioItem",
    "Skill",
    "User",
    "UserManager",
]
