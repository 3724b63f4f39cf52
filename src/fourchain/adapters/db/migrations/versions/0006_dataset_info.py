"""dataset_info: key-value facts about the dataset (the demo city's synthetic label)

Revision ID: 0006_dataset_info
Revises: 0001_registry
Create Date: 2026-11-29 06:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_dataset_info"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset_info",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_dataset_info")),
    )


def downgrade() -> None:
    op.drop_table("dataset_info")
