"""Migration tests roll the real test database back, write rows with the historical models, and
migrate forward again (PostgreSQL; the tests are ``transaction=True``)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets) -> object:
    """Migrate the test database to ``targets``; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest():
    """Whatever happens in the test, the database ends at the latest migrations for the next one."""
    yield
    migrate_to(latest())
