"""find by index: the global search's trigram indexes over names and the words of each record

What the global search reads, per kind: an enterprise's name and main product, an
institution's name and services, an achievement's title, keywords and abstract, a demand's
problem, description and field, a challenge call's title, problem and field, an expert's name
and expertise. SQLite: one FTS5 trigram table per kind (`find_<table>`, external content under
the table's rowid, kept in step by triggers). PostgreSQL: a pg_trgm GIN index per column (the
names of enterprises and institutions have theirs from 0009), which `ILIKE '%q%'` on each
column uses, OR-ed together as a bitmap.

Revision ID: 0016_find_index
Revises: 0004_market, 0003_pipeline, 0009_search_index
Create Date: 2026-12-04 09:45:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0016_find_index"
# It indexes the market's tables (0004) and people (0003), and needs pg_trgm and the name
# indexes of 0009: a merge of the three, so that each is there first (a `depends_on` would do
# the same but drops those revisions from the version table, and `pending` would then say so).
down_revision = ("0004_market", "0003_pipeline", "0009_search_index")
branch_labels = None
depends_on = None

# searched table -> its searched columns (kept in step with adapters/db/find_search.py)
FOUND = {
    "enterprises": ("name", "main_product"),
    "institutions": ("name", "services"),
    "achievements": ("title", "keywords", "abstract"),
    "demands": ("problem", "description", "field"),
    "challenge_calls": ("title", "problem", "field"),
    "people": ("name", "expertise"),
}
# indexed on PostgreSQL by 0009 already
INDEXED_BY_0009 = {("enterprises", "name"), ("institutions", "name")}


def _sqlite_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    fts = f"find_{table}"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"{names}, content='{table}', content_rowid='rowid', tokenize='trigram')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, columns in FOUND.items():
            for column in columns:
                if (table, column) not in INDEXED_BY_0009:
                    op.execute(
                        f"CREATE INDEX ix_{table}_{column}_trgm ON {table} "
                        f"USING gin ({column} gin_trgm_ops)"
                    )
    elif dialect == "sqlite":
        for table, columns in FOUND.items():
            for statement in _sqlite_statements(table, columns):
                op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, columns in FOUND.items():
        if dialect == "postgresql":
            for column in columns:
                if (table, column) not in INDEXED_BY_0009:
                    op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
        elif dialect == "sqlite":
            fts = f"find_{table}"
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
