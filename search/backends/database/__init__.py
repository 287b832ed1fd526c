"""The database backend: PostgreSQL full text (``postgres.py``) on PostgreSQL, SQLite FTS5
(``sqlite.py``, in a file of its own) otherwise, so one machine needs no search cluster."""

from django.db import connection


def DatabaseSearchBackend(alias: str, options: dict):
    """The flavour that fits the default database connection."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(alias, options)
    from .sqlite import SqliteSearchBackend

    return SqliteSearchBackend(alias, options)
