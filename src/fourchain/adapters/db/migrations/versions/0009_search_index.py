"""search by index: trigram indexes on enterprise and institution names

SQLite: an FTS5 table with the trigram tokenizer per searched table, holding the name under the
table's own rowid (external content) and kept in step by triggers. PostgreSQL: pg_trgm GIN
indexes on the name column itself, which the database keeps in step. Both serve `name contains
q` for a q of three or more characters without reading every row.

Revision ID: 0009_search_index
Revises: 0002a_web_read_indexes
Create Date: 2026-12-04 07:10:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0009_search_index"
down_revision = "0002a_web_read_indexes"
branch_labels = None
depends_on = None

# (searched table, index table on SQLite, index name on PostgreSQL)
SEARCHED = (
    ("enterprises", "search_enterprises", "ix_enterprises_name_trgm"),
    ("institutions", "search_institutions", "ix_institutions_name_trgm"),
)


def _sqlite_statements(table: str, fts: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"name, content='{table}', content_rowid='rowid', tokenize='trigram')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, name) VALUES (new.rowid, new.name); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.rowid, old.name); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF name ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.rowid, old.name); "
        f"INSERT INTO {fts}(rowid, name) VALUES (new.rowid, new.name); END",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, _, index in SEARCHED:
            op.execute(f"CREATE INDEX {index} ON {table} USING gin (name gin_trgm_ops)")
    elif dialect == "sqlite":
        for table, fts, _ in SEARCHED:
            for statement in _sqlite_statements(table, fts):
                op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for _table, fts, index in SEARCHED:
        if dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS {index}")
        elif dialect == "sqlite":
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
