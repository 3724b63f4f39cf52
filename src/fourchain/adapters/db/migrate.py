"""Alembic migrations, run from code so no alembic.ini has to sit in the working folder."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"

# The search indexes of migrations 0009 and 0016 (FTS5 tables and their shadow tables on
# SQLite, pg_trgm GIN indexes on PostgreSQL) have no Table in the metadata: comparisons leave
# them out; so do 0026's two-character pieces of the names (`enterprise_bigrams`,
# `bigram_positions`, kept by triggers, read by name_search and find_search as plain SQL).
_SEARCH_TABLE_PREFIXES = ("search_", "find_", "enterprise_bigrams", "bigram_positions")
_SEARCH_INDEX_SUFFIX = "_trgm"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: everything but the search indexes, which live outside the metadata."""
    if type_ == "table" and (name or "").startswith(_SEARCH_TABLE_PREFIXES):
        return False
    table = getattr(getattr(obj, "table", None), "name", "")
    if type_ == "index" and str(table).startswith(_SEARCH_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and (name or "").endswith(_SEARCH_INDEX_SUFFIX))


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database to the newest schema (every branch head)."""
    command.upgrade(alembic_config(engine), revision)


def pending(engine: Engine) -> bool:
    """Whether the database is behind the code's migrations."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != set(script.get_heads())
