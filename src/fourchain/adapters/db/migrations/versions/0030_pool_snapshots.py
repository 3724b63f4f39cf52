"""pool snapshots: each tier's reserve pool of a year as the `cultivation.pools` job computed
it, with the data-version stamp it was computed at (the pool pages read it instead of
assessing the registry in the request)

Revision ID: 0030_pool_snapshots
Revises: 0021_data_version
Create Date: 2026-12-04 21:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_pool_snapshots"
down_revision = "0021_data_version"
branch_labels = None
depends_on = None  # a table of its own: no other revision's table is altered or referenced


def upgrade() -> None:
    op.create_table(
        "pool_snapshots",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("rule_set", sa.String(length=60), nullable=False),
        sa.Column("data_version", sa.BigInteger(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", "tier", name=op.f("pk_pool_snapshots")),
    )
    op.create_table(
        "pool_details",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("row", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("shortfalls", sa.Text(), nullable=False),
        sa.Column("manual", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", "tier", "row", name=op.f("pk_pool_details")),
    )


def downgrade() -> None:
    op.drop_table("pool_details")
    op.drop_table("pool_snapshots")
