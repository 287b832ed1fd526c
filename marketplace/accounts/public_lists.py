"""The profiles list as anonymous visitors see it (``/api/profiles/``), cached briefly
(``marketplace.core.public_lists``), and everything whose change shows in it: a profile (edited,
its visibility, skills and avatar), its account (name, suspension, deactivation, freelancer role),
badges, images (an avatar's renditions), cities and skills, and the freelancer's reputation (rating and
job success score, recomputed by the reviews app)."""

from marketplace.core.public_lists import PublicList, invalidate_on

from .models import Badge, City, FreelancerProfile, FreelancerReputation, Image, Skill, User

PROFILES = PublicList("accounts.profiles")

# User fields no public list shows (a login saves last_login; nothing listed changes).
USER_FIELDS_NOT_LISTED = frozenset(
    {"last_login", "password", "terms_version", "terms_accepted_at", "timezone"}
)


def connect() -> None:
    invalidate_on(PROFILES, FreelancerProfile, m2m=(FreelancerProfile.skills.through,))
    invalidate_on(PROFILES, User, ignored_fields=USER_FIELDS_NOT_LISTED)
    invalidate_on(PROFILES, Badge, Image, City, Skill, FreelancerReputation)
