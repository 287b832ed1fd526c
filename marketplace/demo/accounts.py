"""Demo data for ``manage.py seed_demo``: people, profiles, organisations and talent pools.

Everything is made through the services, so every row the product itself would write exists
(profiles, guardian permission rows, audit and status-change rows, default pools, renditions);
plain ORM is used only where no service exists: creating the account with its password, and
allauth's verified address.

Idempotent: every person is keyed on a fixed email address and skipped when it exists, and each
person is made in one transaction, so an interrupted run leaves no half-made accounts. Pictures
and choices are deterministic: each comes from its own ``random.Random`` seeded with a fixed
string, never from the global generator.
"""

import io
import random
from collections.abc import Callable
from dataclasses import dataclass

import PIL.Image
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from PIL import ImageDraw, ImageFont

from marketplace.accounts.models import (
    Badge,
    City,
    ClientProfile,
    FreelancerProfile,
    Image,
    PortfolioItem,
    Skill,
    User,
)
from marketplace.accounts.services.onboarding import (
    account_onboard,
    account_settings_update,
    email_verified_record,
)
from marketplace.accounts.services.profiles import (
    FreelancerProfileInput,
    avatar_set,
    client_profile_update,
    freelancer_profile_update,
    portfolio_item_create,
)
from marketplace.accounts.services.staff import badge_grant
from marketplace.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationUserObjectPermission,
    PoolMembership,
    Role,
    TalentPool,
)
from marketplace.organisations.services.organisations import (
    invitation_accept,
    invitation_create,
    organisation_create,
)
from marketplace.organisations.services.pools import pool_invite, pool_membership_accept

DOMAIN = "demo.marketplace.test"
# One password for every demo account; long enough and uncommon enough for Django's validators.
PASSWORD = "demo-password-2026"  # noqa: S105 (printed for people to log in to the demo)
SEED = "marketplace-demo-2026"

STAFF_EMAIL = f"staff@{DOMAIN}"
SUPPORT_EMAIL = f"support@{DOMAIN}"


def freelancer_email(n: int) -> str:
    return f"freelancer{n:02d}@{DOMAIN}"


def client_email(n: int) -> str:
    return f"client{n:02d}@{DOMAIN}"


def _rng(*key: object) -> random.Random:
    return random.Random("/".join([SEED, *map(str, key)]))  # noqa: S311 (pictures and names, not secrets)


# --- Places -------------------------------------------------------------------------------------

# (name as in GeoNames, country code) → (currency, local languages besides English)
CITIES: dict[str, tuple[str, str, str, list[str]]] = {
    "nyc": ("New York City", "US", "USD", []),
    "sf": ("San Francisco", "US", "USD", ["Spanish"]),
    "austin": ("Austin", "US", "USD", []),
    "chicago": ("Chicago", "US", "USD", ["Polish"]),
    "seattle": ("Seattle", "US", "USD", []),
    "toronto": ("Toronto", "CA", "USD", ["French"]),
    "vancouver": ("Vancouver", "CA", "USD", ["Mandarin"]),
    "montreal": ("Montréal", "CA", "USD", ["French"]),
    "mexico": ("Mexico City", "MX", "USD", ["Spanish"]),
    "saopaulo": ("São Paulo", "BR", "USD", ["Portuguese"]),
    "buenosaires": ("Buenos Aires", "AR", "USD", ["Spanish"]),
    "bogota": ("Bogotá", "CO", "USD", ["Spanish"]),
    "london": ("London", "GB", "GBP", []),
    "manchester": ("Manchester", "GB", "GBP", []),
    "edinburgh": ("Edinburgh", "GB", "GBP", ["Gaelic"]),
    "bristol": ("Bristol", "GB", "GBP", ["Welsh"]),
    "dublin": ("Dublin", "IE", "EUR", ["Irish"]),
    "paris": ("Paris", "FR", "EUR", ["French"]),
    "lyon": ("Lyon", "FR", "EUR", ["French"]),
    "berlin": ("Berlin", "DE", "EUR", ["German"]),
    "munich": ("Munich", "DE", "EUR", ["German"]),
    "amsterdam": ("Amsterdam", "NL", "EUR", ["Dutch"]),
    "madrid": ("Madrid", "ES", "EUR", ["Spanish"]),
    "barcelona": ("Barcelona", "ES", "EUR", ["Spanish", "Catalan"]),
    "lisbon": ("Lisbon", "PT", "EUR", ["Portuguese"]),
    "milan": ("Milan", "IT", "EUR", ["Italian"]),
    "vienna": ("Vienna", "AT", "EUR", ["German"]),
    "stockholm": ("Stockholm", "SE", "EUR", ["Swedish"]),
    "copenhagen": ("Copenhagen", "DK", "EUR", ["Danish"]),
    "helsinki": ("Helsinki", "FI", "EUR", ["Finnish"]),
    "warsaw": ("Warsaw", "PL", "EUR", ["Polish"]),
    "prague": ("Prague", "CZ", "EUR", ["Czech"]),
    "tallinn": ("Tallinn", "EE", "EUR", ["Estonian", "Russian"]),
    "athens": ("Athens", "GR", "EUR", ["Greek"]),
    "istanbul": ("Istanbul", "TR", "USD", ["Turkish"]),
    "kyiv": ("Kyiv", "UA", "EUR", ["Ukrainian"]),
    "lagos": ("Lagos", "NG", "USD", ["Yoruba"]),
    "nairobi": ("Nairobi", "KE", "USD", ["Swahili"]),
    "accra": ("Accra", "GH", "USD", ["Twi"]),
    "capetown": ("Cape Town", "ZA", "USD", ["Afrikaans"]),
    "cairo": ("Cairo", "EG", "USD", ["Arabic"]),
    "dubai": ("Dubai", "AE", "USD", ["Arabic"]),
    "bengaluru": ("Bengaluru", "IN", "USD", ["Hindi", "Kannada"]),
    "mumbai": ("Mumbai", "IN", "USD", ["Hindi", "Marathi"]),
    "karachi": ("Karachi", "PK", "USD", ["Urdu"]),
    "singapore": ("Singapore", "SG", "USD", ["Mandarin", "Malay"]),
    "manila": ("Manila", "PH", "USD", ["Filipino"]),
    "hcmc": ("Ho Chi Minh City", "VN", "USD", ["Vietnamese"]),
    "tokyo": ("Tokyo", "JP", "USD", ["Japanese"]),
    "seoul": ("Seoul", "KR", "USD", ["Korean"]),
    "sydney": ("Sydney", "AU", "USD", []),
    "auckland": ("Auckland", "NZ", "USD", ["Māori"]),
}


def _cities() -> dict[str, City]:
    """The demo's cities in one query (the most populous place of each name and country)."""
    wanted = {(name, country): key for key, (name, country, _, _) in CITIES.items()}
    found: dict[str, City] = {}
    names = {name for name, _ in wanted}
    for city in City.objects.filter(name__in=names).order_by("population"):
        key = wanted.get((city.name, city.country_code))
        if key:
            found[key] = city  # ascending population: the largest wins
    return found


# --- Freelancers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    """A kind of freelancer: what they do, what they charge, what their portfolio shows."""

    title: str
    skills: list[str]
    tags: list[str]
    headlines: list[str]
    blurb: str
    bullets: list[str]
    portfolio: list[str]
    rate_range: tuple[int, int]  # whole currency units per hour


TRACKS = [
    Track(
        "Django developer",
        ["Python", "Django", "PostgreSQL", "REST APIs", "Docker"],
        ["saas", "backend", "celery", "htmx", "api design"],
        ["Senior Django developer for SaaS back ends", "Python & Django engineer — APIs that stay fast"],
        "I build and rescue Django back ends: data models that age well, APIs clients enjoy, and "
        "background jobs that do not fall over at 3 a.m.",
        ["Django and Django REST Framework", "PostgreSQL tuning and migrations", "Celery, Redis, queues"],
        ["Subscription billing back end", "Multi-tenant API rewrite", "Reporting service on PostgreSQL"],
        (55, 140),
    ),
    Track(
        "Front-end engineer",
        ["JavaScript", "TypeScript", "React", "HTML & CSS", "Figma"],
        ["accessibility", "design systems", "next.js", "performance"],
        ["React & TypeScript front-end engineer", "Accessible interfaces, shipped"],
        "I turn designs into fast, accessible interfaces and leave behind components your team can "
        "keep building on.",
        ["React, TypeScript and modern CSS", "Design systems and Storybook", "WCAG 2.2 audits and fixes"],
        ["Design system for a fintech", "Checkout redesign", "Marketing site rebuild"],
        (45, 130),
    ),
    Track(
        "Mobile developer",
        ["Flutter", "iOS", "Swift", "Android", "Kotlin", "React Native"],
        ["mobile", "offline-first", "app store", "push notifications"],
        ["iOS & Android apps from idea to store", "Flutter developer for cross-platform apps"],
        "I design and ship mobile apps people keep on their home screen, and I look after them after launch.",
        ["Native iOS and Android", "Flutter and React Native", "App Store and Play Store releases"],
        ["Fitness tracking app", "Field inspection app (offline)", "Food delivery courier app"],
        (50, 135),
    ),
    Track(
        "Data scientist",
        ["Python", "Data analysis", "Machine learning", "SQL", "Natural language processing"],
        ["forecasting", "pandas", "llm", "dashboards", "a/b testing"],
        ["Data scientist: forecasting, experiments, NLP", "Machine learning that reaches production"],
        "I help teams answer questions with their data and put models into production where they "
        "earn their keep.",
        ["Forecasting and demand planning", "Experiment design and analysis", "Text classification"],
        ["Demand forecast for a retailer", "Churn model and dashboard", "Support ticket classifier"],
        (60, 160),
    ),
    Track(
        "DevOps engineer",
        ["AWS", "Kubernetes", "Terraform", "Docker", "Linux administration"],
        ["ci/cd", "observability", "cost optimisation", "sre"],
        ["DevOps & cloud engineer — calm deploys", "AWS and Kubernetes, without the drama"],
        "I make deploys boring: infrastructure as code, pipelines that catch problems early, and "
        "dashboards that say what is wrong.",
        ["Terraform and AWS", "Kubernetes clusters and Helm", "Monitoring, alerting, on-call runbooks"],
        ["Cluster migration to EKS", "CI pipeline from 40 to 6 minutes", "Cloud cost review"],
        (65, 150),
    ),
    Track(
        "Product designer",
        ["UI design", "UX research", "Figma", "Graphic design"],
        ["saas", "user interviews", "prototyping", "design systems"],
        ["Product designer for B2B software", "UX research & UI design that tests well"],
        "I talk to your users, sketch, test, and hand engineers designs they can build without guessing.",
        ["User interviews and usability tests", "Interaction and visual design", "Figma libraries"],
        ["Onboarding flow redesign", "Analytics dashboard UI", "Mobile banking concept"],
        (45, 120),
    ),
    Track(
        "Brand designer",
        ["Logo design", "Graphic design", "Illustration", "Motion graphics"],
        ["branding", "packaging", "print", "animation"],
        ["Brand identity & illustration", "Logos, packaging and brand systems"],
        "I build brand identities with character — logos, type, colour and the guidelines that keep "
        "them consistent.",
        ["Logo and identity design", "Packaging and print", "Illustration and animated logos"],
        ["Coffee roaster rebrand", "Craft beer labels", "Festival poster series"],
        (35, 110),
    ),
    Track(
        "Video editor",
        ["Video editing", "Motion graphics", "Photography"],
        ["youtube", "color grading", "after effects", "documentary"],
        ["Video editor & motion designer", "Editing for YouTube, ads and documentaries"],
        "I cut stories that hold attention, from 15-second ads to long-form documentaries.",
        ["Editing and colour grading", "Motion graphics and titles", "Sound clean-up"],
        ["Product launch video", "Documentary short", "Social ad series"],
        (30, 95),
    ),
    Track(
        "Technical writer",
        ["Technical writing", "Content writing", "Editing & proofreading"],
        ["api docs", "developer experience", "docs-as-code", "tutorials"],
        ["Technical writer for developer tools", "API documentation people actually read"],
        "I write documentation that gets developers from zero to working code, and I keep it "
        "correct as the product changes.",
        ["API references and guides", "Docs-as-code with Markdown and CI", "Tutorials and samples"],
        ["API reference overhaul", "Getting-started guide", "Migration guide v2 → v3"],
        (40, 110),
    ),
    Track(
        "Translator",
        ["Translation", "Editing & proofreading", "Copywriting"],
        ["localisation", "legal", "marketing", "subtitles"],
        ["Translator and localisation specialist", "Marketing and legal translation"],
        "I translate and localise websites, apps and contracts so they read as if written locally.",
        ["Website and app localisation", "Legal and financial translation", "Subtitles"],
        ["App localisation (12k words)", "Terms of service translation", "Subtitles for a series"],
        (25, 80),
    ),
    Track(
        "Marketing specialist",
        ["SEO", "Google Ads", "Email marketing", "Social media marketing"],
        ["growth", "analytics", "content strategy", "b2b"],
        ["Growth marketer: SEO, ads and email", "B2B demand generation"],
        "I grow pipelines with a mix of search, paid and email — and report honestly on what works.",
        ["Technical SEO and content plans", "Paid search campaigns", "Lifecycle email"],
        ["Organic traffic x3 in a year", "Paid search restructure", "Onboarding email sequence"],
        (35, 120),
    ),
    Track(
        "Field technician",
        ["Electrical work", "Network cabling", "POS installation", "Smart home installation", "Site survey"],
        ["on-site", "retail", "certified", "rollouts"],
        ["Field technician for retail rollouts", "Network cabling & POS installs on site"],
        "I install and fix things on site — cabling, point-of-sale systems and smart devices — and "
        "leave clean documentation behind.",
        ["Structured cabling", "POS and kiosk installation", "Site surveys with photo reports"],
        ["Store network refit", "POS rollout, 14 stores", "Office smart-lighting install"],
        (30, 85),
    ),
    Track(
        "Bookkeeper",
        ["Bookkeeping", "Accounting", "Tax preparation", "Financial modelling"],
        ["xero", "quickbooks", "month-end close", "startups"],
        ["Bookkeeper & fractional finance for startups", "Month-end close, on time"],
        "I keep the books clean, close the month on time and build the models founders need for "
        "their next round.",
        ["Bookkeeping in Xero and QuickBooks", "Month-end close", "Financial models and runway"],
        ["Three-statement model", "Books clean-up (two years)", "Board reporting pack"],
        (35, 100),
    ),
    Track(
        "Project manager",
        ["Project management", "Virtual assistance", "Customer support", "Market research"],
        ["agile", "operations", "remote teams", "jira"],
        ["Project manager for remote teams", "Operations and delivery management"],
        "I keep distributed projects moving: clear plans, honest status, and risks raised early.",
        ["Agile delivery and planning", "Vendor and stakeholder management", "Process documentation"],
        ["ERP rollout coordination", "Support team set-up", "Launch plan for a marketplace"],
        (40, 110),
    ),
]

# (full name, city key) — a varied cast; numbered 01..50 in this order.
FREELANCERS = [
    ("Amara Okafor", "lagos"), ("Lucas Moreau", "paris"), ("Priya Raman", "bengaluru"),
    ("Jonas Becker", "berlin"), ("Sofia Marquez", "mexico"), ("Kenji Watanabe", "tokyo"),
    ("Chloe Bennett", "london"), ("Mateus Silva", "saopaulo"), ("Aisha Khan", "karachi"),
    ("Oliver Nyberg", "stockholm"), ("Mei Lin", "singapore"), ("Diego Fernández", "buenosaires"),
    ("Hannah Schmidt", "munich"), ("Kwame Mensah", "accra"), ("Isabella Rossi", "milan"),
    ("Ethan Walker", "austin"), ("Yuna Park", "seoul"), ("Liam O'Connor", "dublin"),
    ("Fatima Al-Sayed", "cairo"), ("Noah Tremblay", "montreal"), ("Zeynep Demir", "istanbul"),
    ("Arjun Mehta", "mumbai"), ("Emma de Vries", "amsterdam"), ("Carlos Gómez", "bogota"),
    ("Grace Wanjiru", "nairobi"), ("Tomasz Nowak", "warsaw"), ("Ana Costa", "lisbon"),
    ("Samuel Adeyemi", "lagos"), ("Olivia Chen", "vancouver"), ("Mikko Virtanen", "helsinki"),
    ("Lucía Martín", "madrid"), ("Daniel Cohen", "nyc"), ("Nguyen Thi Lan", "hcmc"),
    ("Freya Campbell", "edinburgh"), ("Rafael Santos", "manila"), ("Elena Popova", "tallinn"),
    ("Marcus Johnson", "chicago"), ("Sipho Dlamini", "capetown"), ("Clara Novák", "prague"),
    ("Omar Haddad", "dubai"), ("Ruby Thompson", "sydney"), ("Matteo Bianchi", "milan"),
    ("Aroha Ngata", "auckland"), ("Olena Kovalenko", "kyiv"), ("Jack Evans", "bristol"),
    ("Nina Andersen", "copenhagen"), ("Pablo Ruiz", "barcelona"), ("Leah Fischer", "vienna"),
    ("Ravi Patel", "manchester"), ("Camille Laurent", "lyon"),
]  # fmt: skip

# Numbers of the freelancers who show their profile only to organisations whose pools they are in.
POOL_ONLY = {5, 12, 19, 26, 33, 40, 47}

AVAILABILITY_WEIGHTS = [
    (FreelancerProfile.Availability.FULL_TIME, 5),
    (FreelancerProfile.Availability.PART_TIME, 3),
    (FreelancerProfile.Availability.UNAVAILABLE, 1),
]


# --- Pictures -----------------------------------------------------------------------------------

PALETTE = [
    (37, 99, 235), (16, 185, 129), (245, 158, 11), (239, 68, 68), (139, 92, 246), (236, 72, 153),
    (20, 184, 166), (99, 102, 241), (234, 88, 12), (14, 116, 144), (132, 204, 22), (71, 85, 105),
]  # fmt: skip
_FORMAT_OPTIONS = {"JPEG": {"quality": 85}, "PNG": {}, "WEBP": {"quality": 82}}


def _gradient(size: tuple[int, int], start: tuple, end: tuple, rng: random.Random) -> PIL.Image.Image:
    """A diagonal two-colour gradient in a random direction."""
    vertical = PIL.Image.linear_gradient("L")
    horizontal = vertical.transpose(PIL.Image.Transpose.ROTATE_90)
    mask = PIL.Image.blend(vertical, horizontal, rng.uniform(0.2, 0.8))
    if rng.random() < 0.5:
        mask = mask.transpose(PIL.Image.Transpose.FLIP_LEFT_RIGHT)
    mask = mask.resize(size, PIL.Image.Resampling.BILINEAR)
    return PIL.Image.composite(PIL.Image.new("RGB", size, start), PIL.Image.new("RGB", size, end), mask)


def _encode(image: PIL.Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **_FORMAT_OPTIONS[image_format])
    return out.getvalue()


def _initials(full_name: str) -> str:
    parts = [p for p in full_name.replace("-", " ").split() if p[0].isalpha()]
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


def avatar_image(full_name: str, rng: random.Random, image_format: str = "JPEG") -> bytes:
    """A 256 px square: a two-colour gradient, a ring and the person's initials."""
    size = 256
    start, end = rng.sample(PALETTE, 2)
    image = _gradient((size, size), start, end, rng)
    draw = ImageDraw.Draw(image)
    inset = rng.randint(18, 36)
    draw.ellipse((inset, inset, size - inset, size - inset), outline=(255, 255, 255), width=5)
    font = ImageFont.load_default(size=96)
    draw.text((size / 2, size / 2), _initials(full_name), font=font, fill=(255, 255, 255), anchor="mm")
    return _encode(image, image_format)


def portfolio_image(title: str, rng: random.Random, image_format: str) -> bytes:
    """A 640 x 400 'cover': gradient, a few translucent shapes and the project's title.

    Small on purpose: every upload gets four WebP renditions, made eagerly on the embedded default.
    """
    width, height = 640, 400
    start, end = rng.sample(PALETTE, 2)
    image = _gradient((width, height), start, end, rng).convert("RGBA")
    overlay = PIL.Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(4, 8)):
        colour = (*rng.choice(PALETTE), rng.randint(70, 150))
        x, y = rng.randint(-100, width), rng.randint(-100, height)
        extent = rng.randint(50, 200)
        shape = rng.choice(["ellipse", "rectangle", "triangle"])
        if shape == "ellipse":
            draw.ellipse((x, y, x + extent, y + extent), fill=colour)
        elif shape == "rectangle":
            draw.rounded_rectangle((x, y, x + extent * 1.5, y + extent), radius=18, fill=colour)
        else:
            draw.polygon([(x, y + extent), (x + extent // 2, y), (x + extent, y + extent)], fill=colour)
    draw.rectangle((0, height - 80, width, height), fill=(15, 23, 42, 170))
    font = ImageFont.load_default(size=32)
    draw.text((28, height - 40), title, font=font, fill=(255, 255, 255, 255), anchor="lm")
    return _encode(PIL.Image.alpha_composite(image, overlay).convert("RGB"), image_format)


# --- Accounts -----------------------------------------------------------------------------------


class _PasswordHash:
    """Hash the shared demo password once: the embedded default's hasher takes ~0.3 s a call."""

    value: str | None = None

    @classmethod
    def get(cls) -> str:
        if cls.value is None:
            cls.value = make_password(PASSWORD)
        return cls.value


def _account_create(email: str, full_name: str, *, staff: bool = False, support: bool = False) -> User:
    """The account and its verified address: what allauth's sign-up and confirmation write."""
    user = User(email=email, full_name=full_name, is_staff=staff, is_superuser=staff, is_support=support)
    user.password = _PasswordHash.get()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    email_verified_record(user=user)
    return user


def _exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def _user(email: str) -> User:
    return User.objects.get(email__iexact=email)


@transaction.atomic
def staff_seed() -> bool:
    if _exists(STAFF_EMAIL):
        return False
    _account_create(STAFF_EMAIL, "Sam Staff", staff=True)
    # Support staff are a role of their own: the dispute queue, not the admin.
    _account_create(SUPPORT_EMAIL, "Sue Support", support=True)
    return True


CLIENTS = [
    ("Harriet Cole", "Cole & Finch Architects", "london"),
    ("Marco Esposito", "", "milan"),
    ("Jennifer Alvarez", "Sunbeam Solar", "austin"),
    ("Thabo Nkosi", "Kaya Coffee Roasters", "capetown"),
    ("Ingrid Larsen", "", "copenhagen"),
    ("David Kim", "Lumen Health", "seoul"),
    ("Rachel Green", "Greenline Logistics", "chicago"),
    ("Ahmed Farouk", "", "dubai"),
    ("Sophie Dubois", "Atelier Dubois", "paris"),
    ("Tunde Bakare", "Oduduwa Payments Ltd", "lagos"),
    ("Emily Carter", "", "seattle"),
    ("Hiroshi Tanaka", "Tanaka Robotics", "tokyo"),
    ("Laura Weber", "Weber Möbel GmbH", "berlin"),
    ("Gabriel Oliveira", "", "saopaulo"),
    ("Aoife Murphy", "Harbour Books", "dublin"),
]


def _client_seed(email: str, full_name: str, company: str, city: City | None, website: str = "") -> bool:
    if _exists(email):
        return False
    with transaction.atomic():
        user = _account_create(email, full_name)
        account_onboard(
            user=user, full_name=full_name, is_client=True, is_freelancer=False, accepted_terms=True
        )
        if city is not None:
            account_settings_update(
                user=user,
                full_name=full_name,
                is_client=True,
                is_freelancer=False,
                timezone_name=city.timezone,
            )
        client_profile_update(user=user, company_name=company, website=website, city=city)
    return True


def _website(company: str) -> str:
    slug = "".join(ch for ch in company.lower() if ch.isalnum())
    return f"https://{slug}.example.com" if slug else ""


def client_seed(n: int, cities: dict[str, City]) -> bool:
    full_name, company, city_key = CLIENTS[n - 1]
    return _client_seed(client_email(n), full_name, company, cities.get(city_key), _website(company))


def freelancer_seed(n: int, cities: dict[str, City], skills: dict[str, Skill], staff: User) -> bool:
    email = freelancer_email(n)
    if _exists(email):
        return False
    rng = _rng("freelancer", n)
    full_name, city_key = FREELANCERS[n - 1]
    city = cities.get(city_key)
    _, _, currency, local_languages = CITIES[city_key]
    track = TRACKS[(n - 1) % len(TRACKS)]
    low, high = track.rate_range
    rate = rng.randrange(low, high + 1, 5) * 100
    chosen_skills = rng.sample(track.skills, k=rng.randint(min(3, len(track.skills)), len(track.skills)))
    languages = ["English", *local_languages]
    if rng.random() < 0.3:
        languages.append(rng.choice(["Spanish", "French", "German", "Portuguese", "Arabic", "Mandarin"]))
    availability = rng.choices(
        [choice for choice, _ in AVAILABILITY_WEIGHTS], weights=[w for _, w in AVAILABILITY_WEIGHTS]
    )[0]
    first_name = full_name.split()[0]
    place = city.name if city else "a city near you"
    years = rng.randint(3, 18)
    bullets = "\n".join(f"- {item}" for item in track.bullets)
    bio = (
        f"## Hi, I'm {first_name}\n\n"
        f"{track.blurb}\n\n"
        f"I've worked as a {track.title.lower()} for **{years} years**, most of it with remote teams, "
        f"from {place}.\n\n"
        f"### What I do\n\n{bullets}\n\n"
        f"### How I work\n\n"
        f"1. A short call to agree on the outcome, not just the tasks.\n"
        f"2. Small milestones, each with something you can look at.\n"
        f"3. Written updates at the end of every week.\n\n"
        f"> {rng.choice(['Clear scope, honest estimates.', 'No surprises on the invoice.', 'Ask me for references.'])}\n"  # noqa: E501
    )
    data = FreelancerProfileInput(
        headline=rng.choice(track.headlines),
        bio=bio,
        hourly_rate_minor=rate,
        currency=currency,
        city=city,
        availability=availability,
        languages=languages,
        skills=[skills[name] for name in chosen_skills if name in skills],
        tags=rng.sample(track.tags, k=rng.randint(2, len(track.tags))),
        visibility=FreelancerProfile.Visibility.POOL
        if n in POOL_ONLY
        else FreelancerProfile.Visibility.PUBLIC,
    )
    with transaction.atomic():
        user = _account_create(email, full_name)
        account_onboard(
            user=user, full_name=full_name, is_client=False, is_freelancer=True, accepted_terms=True
        )
        account_settings_update(
            user=user,
            full_name=full_name,
            is_client=n % 10 == 0,  # a few work and hire
            is_freelancer=True,
            timezone_name=city.timezone if city else "UTC",
        )
        freelancer_profile_update(user=user, data=data)
        avatar_set(user=user, data=avatar_image(full_name, rng, ["JPEG", "PNG", "WEBP"][n % 3]))
        titles = rng.sample(track.portfolio, k=rng.randint(1, 3))
        for position, title in enumerate(titles):
            portfolio_item_create(
                user=user,
                title=title,
                description=f"{title} — {rng.choice(track.bullets).lower()}. Delivered in "
                f"{rng.randint(2, 16)} weeks.",
                url=f"https://portfolio.example.com/{user.pk}/{position + 1}",
                # JPEG and WebP: PNG (lossless, re-encoded with optimize) is slow at this size.
                image_data=portfolio_image(title, rng, ["JPEG", "WEBP"][(n + position) % 2]),
            )
        for kind, every in (
            (Badge.Kind.IDENTITY, 2),
            (Badge.Kind.TAX_FORM, 3),
            (Badge.Kind.BACKGROUND_CHECK, 5),
        ):
            if n % every == 0:
                badge_grant(acting_user=staff, user_id=user.pk, kind=kind)
    return True


# --- Organisations and pools --------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationPlan:
    key: str
    name: str
    website: str
    city: str
    members: dict[str, str]  # role → full name
    pool_active: list[int]  # freelancer numbers who accepted the pool invitation
    pool_invited: list[int]  # freelancer numbers with a pending invitation
    pending_invitation: str  # a colleague invited who has not signed up yet


ORGANISATIONS = [
    OrganisationPlan(
        key="northwind",
        name="Northwind Retail",
        website="https://northwind.example.com",
        city="london",
        members={
            Role.OWNER: "Victoria Hale",
            Role.ADMIN: "George Patel",
            Role.HIRING_MANAGER: "Maya Brooks",
            Role.FINANCE: "Ian Douglas",
            Role.VIEWER: "Lily Chen",
        },
        pool_active=[5, 19, 33, 47, 1, 2, 3, 8, 12],
        pool_invited=[10, 11, 14],
        pending_invitation="new.analyst@northwind.example.com",
    ),
    OrganisationPlan(
        key="brightwave",
        name="Brightwave Media",
        website="https://brightwave.example.com",
        city="berlin",
        members={
            Role.OWNER: "Felix Hartmann",
            Role.ADMIN: "Ana Ribeiro",
            Role.HIRING_MANAGER: "Tom Eriksen",
            Role.FINANCE: "Nadia Rahman",
            Role.VIEWER: "Paul Girard",
        },
        pool_active=[12, 26, 40, 2, 4, 6, 9],
        pool_invited=[15, 16, 1],
        pending_invitation="producer@brightwave.example.com",
    ),
]


def member_email(plan: OrganisationPlan, role: str) -> str:
    return f"{plan.key}.{role.replace('_', '-')}@{DOMAIN}"


def organisation_members_seed(plan: OrganisationPlan, cities: dict[str, City]) -> bool:
    """The people of the organisation, as clients (the organisation itself comes next)."""
    created = False
    for role, full_name in plan.members.items():
        created |= _client_seed(member_email(plan, role), full_name, plan.name, cities.get(plan.city))
    return created


def _organisation_of(plan: OrganisationPlan) -> Organisation | None:
    """Keyed on its demo owner (not its name, which the owner may change in the settings)."""
    owner = _user(member_email(plan, Role.OWNER))
    return Organisation.objects.filter(created_by=owner).order_by("pk").first()


@transaction.atomic
def organisation_seed(plan: OrganisationPlan) -> bool:
    """The organisation (with its default pool), members of every role joined by invitation, and
    a pending invitation. All or nothing, and once only: what people then change in the demo
    (a member removed, an invitation revoked) stays changed on the next run."""
    if _organisation_of(plan) is not None:
        return False
    owner = _user(member_email(plan, Role.OWNER))
    organisation = organisation_create(acting_user=owner, name=plan.name, website=plan.website)
    for role in plan.members:
        if role == Role.OWNER:
            continue
        user = _user(member_email(plan, role))
        invitation = invitation_create(
            acting_user=owner, organisation=organisation, email=user.email, role=role
        )
        invitation_accept(acting_user=user, token=invitation.token)
    invitation_create(
        acting_user=owner, organisation=organisation, email=plan.pending_invitation, role=Role.VIEWER
    )
    return True


@transaction.atomic
def pool_seed(plan: OrganisationPlan) -> bool:
    """Invitations to the default pool from the hiring manager; some accepted, some pending.
    Once only, like the organisation: skipped when the pool has had any invitation."""
    organisation = _organisation_of(plan)
    if PoolMembership.objects.filter(pool__organisation=organisation).exists():
        return False
    hiring_manager = _user(member_email(plan, Role.HIRING_MANAGER))
    for n in [*plan.pool_active, *plan.pool_invited]:
        freelancer = _user(freelancer_email(n))
        membership = pool_invite(
            acting_user=hiring_manager,
            organisation=organisation,
            freelancer_email=freelancer.email,
            message=f"We'd like you in the {plan.name} talent pool: you'll see our pool-only work first.",
        )
        if n in plan.pool_active:
            pool_membership_accept(acting_user=freelancer, membership_id=membership.pk)
    return True


# --- The plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[], bool]  # True when it created something, False when it all existed


def seed_steps() -> list[Step]:
    """The demo as small steps (one per person or organisation), for a progress bar."""
    cities = _cities()
    skills = {skill.name: skill for skill in Skill.objects.all()}
    steps = [Step("staff", staff_seed)]
    steps += [Step(client_email(n), lambda n=n: client_seed(n, cities)) for n in range(1, len(CLIENTS) + 1)]
    for plan in ORGANISATIONS:
        steps.append(Step(f"{plan.key} members", lambda plan=plan: organisation_members_seed(plan, cities)))
        steps.append(Step(plan.name, lambda plan=plan: organisation_seed(plan)))
    steps += [
        Step(freelancer_email(n), lambda n=n: freelancer_seed(n, cities, skills, _user(STAFF_EMAIL)))
        for n in range(1, len(FREELANCERS) + 1)
    ]
    steps += [Step(f"{plan.key} pool", lambda plan=plan: pool_seed(plan)) for plan in ORGANISATIONS]
    return steps


def demo_logins() -> list[tuple[str, str]]:
    """(what the account shows, email) for the people worth logging in as (the money demo adds its own)."""
    pool_only = min(POOL_ONLY)
    pool_org = next(plan.name for plan in ORGANISATIONS if pool_only in plan.pool_active)
    northwind, brightwave = ORGANISATIONS
    return [
        ("Staff: staff tools (/staff/users/), /ops/, the admin", STAFF_EMAIL),
        ("Support: the disputes queue (/support/disputes/)", SUPPORT_EMAIL),
        (
            f"Owner of {northwind.name}: members, invitations, talent pool, API keys",
            member_email(northwind, Role.OWNER),
        ),
        (
            f"Owner of {brightwave.name}: a second organisation, its pool jobs and an hourly contract",
            member_email(brightwave, Role.OWNER),
        ),
        (
            f"Hiring manager of {northwind.name}: the organisation's jobs, proposals and offers",
            member_email(northwind, Role.HIRING_MANAGER),
        ),
        ("Freelancer: a public profile, in a pool, a pool invitation pending", freelancer_email(1)),
        (f"Freelancer: a pool-only profile, seen by {pool_org}'s members only", freelancer_email(pool_only)),
        (
            f"Client ({CLIENTS[0][1]}): an open job, its invitations and proposals "
            "(shortlisted, declined, withdrawn, archived)",
            client_email(1),
        ),
    ]


def logins_with(logins: list[tuple[str, str]], sees: dict[str, str]) -> list[tuple[str, str]]:
    """``logins`` (what the account shows, email) with more to see per email: a person listed already
    has it added to their line, anyone else gets a line of their own."""
    merged = {email: label for label, email in logins}
    for email, more in sees.items():
        merged[email] = f"{merged[email]}; {more}" if email in merged else more
    return [(label, email) for email, label in merged.items()]


def demo_counts() -> dict[str, int]:
    """What exists now (for the command's summary and the tests' idempotency check)."""
    demo_users = User.objects.filter(email__iendswith=f"@{DOMAIN}")
    return {
        "users": demo_users.count(),
        "freelancer profiles": FreelancerProfile.objects.filter(user__in=demo_users).count(),
        "client profiles": ClientProfile.objects.filter(user__in=demo_users).count(),
        "images": Image.objects.filter(owner__in=demo_users).count(),
        "portfolio items": PortfolioItem.objects.filter(profile__user__in=demo_users).count(),
        "organisations": Organisation.objects.filter(created_by__in=demo_users).count(),
        "memberships": Membership.objects.filter(user__in=demo_users).count(),
        "invitations": Invitation.objects.filter(organisation__created_by__in=demo_users).count(),
        "talent pools": TalentPool.objects.filter(organisation__created_by__in=demo_users).count(),
        "pool memberships": PoolMembership.objects.filter(
            Q(freelancer__in=demo_users) | Q(email__iendswith=f"@{DOMAIN}")
        ).count(),
        "badges": Badge.objects.filter(user__in=demo_users).count(),
        "permission rows": OrganisationUserObjectPermission.objects.filter(user__in=demo_users).count(),
    }
