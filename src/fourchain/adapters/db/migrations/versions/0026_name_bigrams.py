"""name bigrams: every two-character piece of an enterprise's name and main product

A trigram index (0009, 0016) has nothing to look up for a query of two characters, and
two-character Chinese words are common queries: they read the whole registry. This side table
holds, per enterprise, each distinct pair of adjacent characters of its lower-cased name and
main product (`gram`, `credit_code`; the key leads with the gram), so that such a query is one
index lookup on both databases. Triggers keep it in step (an update only when a searched column changed): on SQLite they cut the pieces with a
table of positions (`bigram_positions`, 1..200: a trigger may not use a recursive query); on
PostgreSQL a PL/pgSQL function cuts them with generate_series.

Revision ID: 0026_name_bigrams
Revises: 0021_data_version, 0010_write_side
Create Date: 2026-12-04 14:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_name_bigrams"
# After 0010 too: its batch alter rebuilds `enterprises` on SQLite, which drops the triggers on
# it (a later rebuild of the table must create them again).
down_revision = ("0021_data_version", "0010_write_side")
branch_labels = None
depends_on = None

# The longest name or main product (String(200) on both columns).
LONGEST = 200
SEARCHED = ("name", "main_product")


def _changed(differs: str) -> str:
    """An update's condition that a searched column or the key really changed: a re-import
    that rewrites a row with the same values (most rows of most imports) leaves the pieces be."""
    return " OR ".join(f"old.{c} {differs} new.{c}" for c in (*SEARCHED, "credit_code"))


def _sqlite_grams(row: str) -> str:
    """The pieces of one row (`new`) as a SELECT over the positions table."""
    return " UNION ".join(
        f"SELECT substr(lower({row}.{c}), n, 2), {row}.credit_code FROM bigram_positions "
        f"WHERE n < length({row}.{c})"
        for c in SEARCHED
    )


def _sqlite() -> list[str]:
    insert = f"INSERT OR IGNORE INTO enterprise_bigrams (gram, credit_code) {_sqlite_grams('new')}"
    delete = "DELETE FROM enterprise_bigrams WHERE credit_code = old.credit_code"
    backfill = " UNION ".join(
        f"SELECT substr(lower(e.{c}), p.n, 2), e.credit_code FROM enterprises AS e "
        f"JOIN bigram_positions AS p ON p.n < length(e.{c})"
        for c in SEARCHED
    )
    columns = ", ".join((*SEARCHED, "credit_code"))
    return [
        "CREATE TABLE bigram_positions (n INTEGER PRIMARY KEY)",
        "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < "
        f"{LONGEST}) INSERT INTO bigram_positions (n) SELECT n FROM s",
        f"INSERT OR IGNORE INTO enterprise_bigrams (gram, credit_code) {backfill}",
        f"CREATE TRIGGER enterprise_bigrams_ai AFTER INSERT ON enterprises BEGIN {insert}; END",
        f"CREATE TRIGGER enterprise_bigrams_ad AFTER DELETE ON enterprises BEGIN {delete}; END",
        f"CREATE TRIGGER enterprise_bigrams_au AFTER UPDATE OF {columns} ON enterprises "
        f"WHEN {_changed('IS NOT')} BEGIN {delete}; {insert}; END",
    ]


def _postgresql() -> list[str]:
    def grams(row: str) -> str:
        return " UNION ".join(
            f"SELECT substr(lower({row}.{c}), n, 2) AS gram "
            f"FROM generate_series(1, coalesce(length({row}.{c}), 0) - 1) AS n"
            for c in SEARCHED
        )

    backfill = " UNION ".join(
        f"SELECT substr(lower(e.{c}), n, 2), e.credit_code FROM enterprises AS e, "
        f"generate_series(1, coalesce(length(e.{c}), 0) - 1) AS n"
        for c in SEARCHED
    )
    columns = ", ".join((*SEARCHED, "credit_code"))
    return [
        f"INSERT INTO enterprise_bigrams (gram, credit_code) {backfill} ON CONFLICT DO NOTHING",
        "CREATE OR REPLACE FUNCTION enterprise_bigrams_sync() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
        "DELETE FROM enterprise_bigrams WHERE credit_code = OLD.credit_code; END IF; "
        "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
        "INSERT INTO enterprise_bigrams (gram, credit_code) "
        f"SELECT gram, NEW.credit_code FROM ({grams('NEW')}) AS pieces "
        "ON CONFLICT DO NOTHING; END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER enterprise_bigrams_sync AFTER INSERT OR DELETE ON enterprises "
        "FOR EACH ROW EXECUTE FUNCTION enterprise_bigrams_sync()",
        f"CREATE TRIGGER enterprise_bigrams_sync_update AFTER UPDATE OF {columns} ON enterprises "
        f"FOR EACH ROW WHEN ({_changed('IS DISTINCT FROM')}) "
        "EXECUTE FUNCTION enterprise_bigrams_sync()",
    ]


def upgrade() -> None:
    op.create_table(
        "enterprise_bigrams",
        sa.Column("gram", sa.String(2), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.PrimaryKeyConstraint("gram", "credit_code", name=op.f("pk_enterprise_bigrams")),
        sqlite_with_rowid=False,  # the key is the row: one B-tree less to write per piece
    )
    op.create_index("ix_enterprise_bigrams_credit_code", "enterprise_bigrams", ["credit_code"])
    dialect = op.get_bind().dialect.name
    for statement in _sqlite() if dialect == "sqlite" else _postgresql():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS enterprise_bigrams_{suffix}")
        op.execute("DROP TABLE IF EXISTS bigram_positions")
    else:
        op.execute("DROP TRIGGER IF EXISTS enterprise_bigrams_sync_update ON enterprises")
        op.execute("DROP TRIGGER IF EXISTS enterprise_bigrams_sync ON enterprises")
        op.execute("DROP FUNCTION IF EXISTS enterprise_bigrams_sync()")
    op.drop_table("enterprise_bigrams")
