"""money records withdrawn: investments, subsidies, loans and insurance policies keep their
rows, with the day they were withdrawn (the capital book leaves them out from then on)

Revision ID: 0015_money_withdrawn
Revises: 0003_pipeline
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_money_withdrawn"
down_revision = "0003_pipeline"
branch_labels = None
depends_on = None

TABLES = ("investments", "subsidies", "loans", "insurance_policies")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("withdrawn", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("withdrawn")
