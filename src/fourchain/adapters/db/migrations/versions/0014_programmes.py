"""programmes, programme_calls, programme_projects, programme_stage_events, programme_outcomes,
programme_coi_declarations: S&T programme projects (科技计划项目)

Revision ID: 0014_programmes
Revises: 0001_registry
Create Date: 2026-12-04 09:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_programmes"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_programmes")),
    )
    op.create_table(
        "programme_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("programme", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("challenge_call_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme"], ["programmes.key"], name=op.f("fk_programme_calls_programme_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_calls")),
    )
    op.create_index("ix_programme_calls_programme_year", "programme_calls", ["programme", "year"])
    op.create_table(
        "programme_projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("lead_kind", sa.String(length=20), nullable=False),
        sa.Column("lead_id", sa.String(length=40), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("public_budget", sa.BigInteger(), nullable=False),
        sa.Column("self_raised", sa.BigInteger(), nullable=False),
        sa.Column("cluster", sa.String(length=50), nullable=True),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("applied", sa.Date(), nullable=False),
        sa.Column("approved", sa.Date(), nullable=True),
        sa.Column("cooperation_project_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["programme_calls.id"],
            name=op.f("fk_programme_projects_call_id_programme_calls"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_projects")),
    )
    op.create_index("ix_programme_projects_call", "programme_projects", ["call_id"])
    op.create_index("ix_programme_projects_stage", "programme_projects", ["stage"])
    op.create_table(
        "programme_stage_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("public_funding", sa.BigInteger(), nullable=True),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["programme_projects.id"],
            name=op.f("fk_programme_stage_events_project_id_programme_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_stage_events")),
    )
    op.create_index("ix_programme_stage_events_project", "programme_stage_events", ["project_id"])
    op.create_table(
        "programme_outcomes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=True),
        sa.Column("appraised", sa.Date(), nullable=True),
        sa.Column("appraiser", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["programme_projects.id"],
            name=op.f("fk_programme_outcomes_project_id_programme_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_outcomes")),
    )
    op.create_index("ix_programme_outcomes_project", "programme_outcomes", ["project_id"])
    op.create_table(
        "programme_coi_declarations",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("conflicted", sa.Boolean(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("declared", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["programme_projects.id"],
            name=op.f("fk_programme_coi_declarations_project_id_programme_projects"),
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "expert_id", name=op.f("pk_programme_coi_declarations")
        ),
    )


def downgrade() -> None:
    op.drop_table("programme_coi_declarations")
    op.drop_index("ix_programme_outcomes_project", table_name="programme_outcomes")
    op.drop_table("programme_outcomes")
    op.drop_index("ix_programme_stage_events_project", table_name="programme_stage_events")
    op.drop_table("programme_stage_events")
    op.drop_index("ix_programme_projects_stage", table_name="programme_projects")
    op.drop_index("ix_programme_projects_call", table_name="programme_projects")
    op.drop_table("programme_projects")
    op.drop_index("ix_programme_calls_programme_year", table_name="programme_calls")
    op.drop_table("programme_calls")
    op.drop_table("programmes")
