"""funds withdrawn: a fund, a fund commitment, a subsidy disbursement and an insurance claim
keep their rows, with the day they were withdrawn (the capital book leaves them out from then on)

Revision ID: 0024_funds_withdrawn
Revises: 0021_data_version
Create Date: 2026-12-04 14:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_funds_withdrawn"
down_revision = "0021_data_version"
branch_labels = None
depends_on = "0003_pipeline"  # the tables it alters

TABLES = ("funds", "fund_commitments", "subsidy_disbursements", "insurance_claims")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("withdrawn", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("withdrawn")
