"""S&T programme projects' tables: programmes, yearly calls, projects (money in 元), their stage
history and their outcomes. A party (enterprise or institution) is stored as kind + id."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from fourchain.adapters.db.tables import metadata

programmes = Table(
    "programmes",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("level", String(20), nullable=False),
)

programme_calls = Table(
    "programme_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme", String(60), ForeignKey("programmes.key"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    # the challenge call a 揭榜挂帅 call publishes (checked by the desk, not a foreign key: the
    # challenge calls are no import kind, and an import may name one before it is entered)
    Column("challenge_call_id", Integer),
    Index("ix_programme_calls_programme_year", "programme", "year"),
)

programme_projects = Table(
    "programme_projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_id", Integer, ForeignKey("programme_calls.id"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("lead_kind", String(20), nullable=False),
    Column("lead_id", String(40), nullable=False),
    Column("partners", Text, nullable=False),  # "kind:id" separated by ","
    Column("public_budget", BigInteger, nullable=False),  # 元
    Column("self_raised", BigInteger, nullable=False),  # 元
    Column("cluster", String(50)),
    Column("number", String(100), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("applied", Date, nullable=False),
    Column("approved", Date),  # the approval (立项) day, kept for the indicators
    Column("cooperation_project_id", Integer),  # the market's cooperation project it is
    Index("ix_programme_projects_call", "call_id"),
    Index("ix_programme_projects_stage", "stage"),
)

programme_stage_events = Table(
    "programme_stage_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("programme_projects.id"), nullable=False),
    Column("move", String(20), nullable=False),
    Column("source", String(20), nullable=False),
    Column("target", String(20), nullable=False),
    Column("on", Date, nullable=False),
    Column("document", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("public_funding", BigInteger),
    Column("ends", Date),
    Column("passed", Boolean, nullable=False),
    Index("ix_programme_stage_events_project", "project_id"),
)

programme_outcomes = Table(
    "programme_outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("programme_projects.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reference", String(300), nullable=False),
    Column("level", String(30)),
    Column("appraised", Date),
    Column("appraiser", String(200), nullable=False),
    Index("ix_programme_outcomes_project", "project_id"),
)

programme_coi_declarations = Table(
    "programme_coi_declarations",
    metadata,
    Column("project_id", Integer, ForeignKey("programme_projects.id"), primary_key=True),
    Column("expert_id", String(60), primary_key=True),
    Column("conflicted", Boolean, nullable=False),
    Column("statement", Text, nullable=False),
    Column("declared", Date, nullable=False),
)
