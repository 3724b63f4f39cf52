"""pipeline writes: conversion projects, people and incubation projects can be withdrawn; the
row stays (with the day it was withdrawn) and lists, counts and indicators leave it out

Revision ID: 0023_pipeline_writes
Revises: 0021_data_version
Create Date: 2026-12-04 14:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_pipeline_writes"
down_revision = "0021_data_version"
branch_labels = None
depends_on = "0003_pipeline"  # the tables it changes

TABLES = ("conversion_projects", "people", "pipeline_projects")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("withdrawn", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("withdrawn")
