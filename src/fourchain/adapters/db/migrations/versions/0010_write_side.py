"""write side: enterprises flag a Fujian pilot-era (pre-GB 32100-2015) credit code

Revision ID: 0010_write_side
Revises: 0001_registry
Create Date: 2026-12-04 07:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_write_side"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(
            sa.Column(
                "credit_code_pre_standard",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("credit_code_pre_standard")
