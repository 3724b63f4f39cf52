"""Migrations build exactly the schema the code's tables describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from fourchain.adapters.db import migrate
from fourchain.adapters.db.schema import metadata
from fourchain.adapters.db.tables import clusters
from fourchain.bootstrap import Database


def test_the_migrated_schema_matches_the_tables_in_code(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_a_migrated_database_is_not_pending_and_upgrading_again_changes_nothing(
    database: Database,
) -> None:
    assert not migrate.pending(database.engine)
    migrate.upgrade(database.engine)
    assert "enterprises" in inspect(database.engine).get_table_names()


def test_the_citys_clusters_are_seeded(database: Database) -> None:
    with database.engine.connect() as connection:
        kinds = dict(connection.execute(select(clusters.c.key, clusters.c.kind)).all())
    assert kinds["electronic_information"] == "pillar"
    assert kinds["biomedicine"] == "strategic_emerging"
    assert sum(kind == "pillar" for kind in kinds.values()) == 4
    assert sum(kind == "strategic_emerging" for kind in kinds.values()) == 4
