"""Upgrades without losing a visit: every migration can be undone, so a
release that goes wrong is rolled back with its schema (README, Deployment).

A migration that cannot be undone is listed below with the reason; the list
is checked too, so it cannot hide a migration that could be undone or name
one that no longer exists.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

PROJECT_APPS = (
    "core",
    "accounts",
    "areas",
    "teams",
    "households",
    "assistance",
    "training",
    "reports",
    "demo",
)

# (app, migration name): why it cannot be undone. Empty today.
IRREVERSIBLE: dict[tuple[str, str], str] = {}


def project_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if key[0] in PROJECT_APPS
    }


def test_there_are_migrations_to_check():
    assert len(project_migrations()) >= 20


def test_every_migration_can_be_undone_or_says_why_not():
    cannot = [
        "%s.%s: %s" % (app, name, operation.describe())
        for (app, name), migration in sorted(project_migrations().items())
        if (app, name) not in IRREVERSIBLE
        for operation in migration.operations
        if not operation.reversible
    ]

    assert cannot == [], (
        "give RunPython a reverse_code and RunSQL a reverse_sql, or list the "
        "migration in IRREVERSIBLE with the reason"
    )


def test_the_irreversible_list_names_only_irreversible_migrations():
    migrations = project_migrations()
    for key, reason in IRREVERSIBLE.items():
        assert key in migrations, "%s.%s no longer exists" % key
        assert reason.strip()
        assert not all(op.reversible for op in migrations[key].operations)


@pytest.mark.django_db(transaction=True)
def test_the_schema_goes_down_to_nothing_and_back_up():
    executor = MigrationExecutor(connection)
    # The bottom layer first undoes everything above it that depends on it.
    executor.migrate([(app, None) for app in PROJECT_APPS if app != "demo"])
    tables = set(connection.introspection.table_names())
    assert not {table for table in tables if table.startswith("reports_")}
    assert not {table for table in tables if table.startswith("assistance_")}

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    executor.loader.build_graph()
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert "reports_scheduledrun" in connection.introspection.table_names()
