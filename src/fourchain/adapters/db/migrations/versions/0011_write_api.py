"""write API: withdrawn achievements and demands keep their rows, with the day they left

Revision ID: 0011_write_api
Revises: 0004_market
Create Date: 2026-12-04 07:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_write_api"
down_revision = "0004_market"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("achievements", "demands"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("withdrawn", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in ("achievements", "demands"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("withdrawn")
