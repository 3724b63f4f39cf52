"""plan_targets: the bureau's plan targets (indicator, year, value, direction) with their source

Revision ID: 0012_foresight
Revises: 0001_registry
Create Date: 2026-12-04 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_foresight"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_targets",
        sa.Column("indicator", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("plan", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("indicator", "year", name=op.f("pk_plan_targets")),
    )


def downgrade() -> None:
    op.drop_table("plan_targets")
