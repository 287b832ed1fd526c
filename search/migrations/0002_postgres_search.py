"""The PostgreSQL search backend's own storage (``search.backends.database.postgres``).

On PostgreSQL only: the embedded default runs these migrations on SQLite, where the SQLite backend
keeps its index in a file of its own. ``fuzzystrmatch`` (``levenshtein``, for typo tolerance) is a
trusted extension (no superuser needed since PostgreSQL 13); the generation tables are created by the
backend from each index definition, and ``search_pg_generation`` says which one is live.
"""

from django.db import migrations

FORWARD = (
    "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",
    """CREATE TABLE IF NOT EXISTS search_pg_generation (
        index_name text PRIMARY KEY,
        generation integer NOT NULL,
        signature text NOT NULL
    )""",
)
BACKWARD = ("DROP TABLE IF EXISTS search_pg_generation",)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
