"""web read paths: the enterprise directory's sort index

Revision ID: 0002a_web_read_indexes
Revises: 0002_accounts
Create Date: 2026-11-29 06:55:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0002a_web_read_indexes"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index("ix_enterprises_name", ["name", "credit_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprises_name")
