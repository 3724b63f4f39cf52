"""technology contracts and cooperation projects withdrawn: the row stays with the day it was
withdrawn; lists, the contract turnover and the cooperation counts leave it out

Revision ID: 0015a_market_withdrawn
Revises: 0011_write_api
Create Date: 2026-12-04 10:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015a_market_withdrawn"
down_revision = "0011_write_api"
branch_labels = None
depends_on = None

TABLES = ("tech_contracts", "cooperation_projects")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("withdrawn", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("withdrawn")
