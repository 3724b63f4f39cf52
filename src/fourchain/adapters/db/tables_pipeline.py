"""The pipeline, capital-chain and talent-chain tables (SQLAlchemy Core, on the shared metadata).

A project's state is never stored: it is derived from `pipeline_events`, which only grows
(migration 0003 adds triggers that refuse UPDATE and DELETE on it)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from fourchain.adapters.db.tables import metadata

CODE = "enterprises.credit_code"

pipeline_projects = Table(
    "pipeline_projects",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("summary", Text),
    Column("cluster", String(50), ForeignKey("clusters.key")),
    Column("chain", String(50), ForeignKey("chains.key")),
    Column("origin_institution", String(40), ForeignKey("institutions.id")),
    Column("created_on", Date, nullable=False),
    Column("created_by", String(80), nullable=False),
    # withdrawn (0023): the row and its history stay, lists and counts leave it out
    Column("withdrawn", Date),
)

pipeline_events = Table(
    "pipeline_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(40), ForeignKey("pipeline_projects.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("recorded_by", String(80), nullable=False),
    Column("by_admin", Boolean, nullable=False),
    Column("stage", String(30)),
    Column("exit", String(20)),
    Column("trl", Integer),
    Column("evidence", String(200)),  # evidence kinds, comma-separated
    Column("institution", String(40), ForeignKey("institutions.id")),
    Column("enterprise", String(18), ForeignKey(CODE)),
    Column("amount", Float),
    Column("passed", Boolean),
    Column("note", Text),
    Column("override_reason", Text),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("project_id", "seq", name="uq_pipeline_events_project_seq"),
    Index("ix_pipeline_events_kind", "kind", "stage"),
)

pipeline_evidence = Table(
    "pipeline_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(40), ForeignKey("pipeline_projects.id"), nullable=False),
    Column("event_id", Integer, ForeignKey("pipeline_events.id")),
    Column("kind", String(30), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("stored_as", String(300), nullable=False),  # relative to the data folder
    Column("recorded_by", String(80), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_pipeline_evidence_project", "project_id"),
)

funds = Table(
    "funds",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("size", Float, nullable=False),
    Column("parent", String(40), ForeignKey("funds.key")),
    Column("manager", String(200)),
    Column("established", Date),
    # withdrawn (0024): the row stays, the capital book leaves it out
    Column("withdrawn", Date),
)

fund_commitments = Table(
    "fund_commitments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fund", String(40), ForeignKey("funds.key"), nullable=False),
    Column("investor", String(200), nullable=False),
    Column("amount", Float, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("committed_on", Date, nullable=False),
    Column("withdrawn", Date),  # 0024
    Index("ix_fund_commitments_fund", "fund"),
)


def _recipient() -> tuple[Column[str], Column[str]]:
    return (
        Column("project_id", String(40), ForeignKey("pipeline_projects.id")),
        Column("enterprise", String(18), ForeignKey(CODE)),
    )


investments = Table(
    "investments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fund", String(40), ForeignKey("funds.key")),
    Column("investor", String(200), nullable=False),
    Column("round", String(30), nullable=False),
    Column("amount", Float, nullable=False),
    Column("invested_on", Date, nullable=False),
    *_recipient(),
    # withdrawn (0015): the row stays, the capital book leaves it out
    Column("withdrawn", Date),
    Index("ix_investments_fund", "fund"),
    Index("ix_investments_project", "project_id"),
)

subsidies = Table(
    "subsidies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme", String(200), nullable=False),
    Column("amount", Float, nullable=False),
    Column("conditions", Text),
    Column("awarded_on", Date, nullable=False),
    *_recipient(),
    # withdrawn (0015): the row stays, the capital book leaves it out
    Column("withdrawn", Date),
)

subsidy_disbursements = Table(
    "subsidy_disbursements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subsidy_id", Integer, ForeignKey("subsidies.id"), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("amount", Float, nullable=False),
    Column("withdrawn", Date),  # 0024
    Index("ix_subsidy_disbursements_subsidy", "subsidy_id"),
)

loans = Table(
    "loans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bank", String(200), nullable=False),
    Column("amount", Float, nullable=False),
    Column("lent_on", Date, nullable=False),
    Column("term_months", Integer, nullable=False),
    Column("guarantee_fund", String(40), ForeignKey("funds.key")),
    Column("guaranteed_share", Float, nullable=False),
    *_recipient(),
    # withdrawn (0015): the row stays, the capital book leaves it out
    Column("withdrawn", Date),
)

insurance_policies = Table(
    "insurance_policies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("insurer", String(200), nullable=False),
    Column("premium", Float, nullable=False),
    Column("cover", Float, nullable=False),
    Column("starts", Date, nullable=False),
    Column("ends", Date, nullable=False),
    *_recipient(),
    # withdrawn (0015): the row stays, the capital book leaves it out
    Column("withdrawn", Date),
)

insurance_claims = Table(
    "insurance_claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("policy_id", Integer, ForeignKey("insurance_policies.id"), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("amount", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("withdrawn", Date),  # 0024
)

people = Table(
    "people",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("affiliation", String(200)),
    Column("expertise", String(200)),
    Column("email", String(200)),
    Column("withdrawn", Date),  # (0023) kept, out of lists, the market and the team
)

project_people = Table(
    "project_people",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(40), ForeignKey("pipeline_projects.id"), nullable=False),
    Column("person_id", String(40), ForeignKey("people.id"), nullable=False),
    Column("role", String(30), nullable=False),
    Column("joined", Date, nullable=False),
    Column("left", Date),
    Index("ix_project_people_project", "project_id"),
)

conversion_projects = Table(
    "conversion_projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("credit_code", String(18), ForeignKey(CODE), nullable=False),
    Column("title", String(300), nullable=False),
    Column("year", Integer, nullable=False),
    Column("field", String(100)),
    Column("project_id", String(40), ForeignKey("pipeline_projects.id")),
    Column("withdrawn", Date),  # (0023) kept, out of the indicators
    Index("ix_conversion_projects_year", "year"),
)
