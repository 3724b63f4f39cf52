"""trigram indexes (PostgreSQL) keep a short pending list: 256 kB, not the server's 4 MB

A GIN index with fastupdate puts new entries in an unsorted pending list that every search
reads from start to end until it is merged into the index. During a 100,000-row enterprise
import the list of the name index grew to its 4 MB limit again and again: a 3-character
name search's p95 was 2.8 times as long as with 256 kB (`bench_search_beside_import.py`,
`benchmarks/README.md`). The import's time stays within run-to-run noise of the default's;
turning fastupdate off instead cost the import 1.6-1.8 times. SQLite's FTS5 tables have no
such list: nothing there.

Revision ID: 0031_gin_pending_lists
Revises: 0016_find_index
Create Date: 2026-12-05 01:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_gin_pending_lists"
down_revision = "0016_find_index"
branch_labels = None
depends_on = None

PENDING_LIST_KB = 256


def _trigram_indexes() -> list[str]:
    """Every pg_trgm GIN index of the schema (0009's names, 0016's finding columns)."""
    found = op.get_bind().execute(
        sa.text(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexdef LIKE '%gin_trgm_ops%' ORDER BY indexname"
        )
    )
    return [str(name) for name in found.scalars()]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _trigram_indexes():
        op.execute(f'ALTER INDEX "{index}" SET (gin_pending_list_limit = {PENDING_LIST_KB})')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _trigram_indexes():
        op.execute(f'ALTER INDEX "{index}" RESET (gin_pending_list_limit)')
