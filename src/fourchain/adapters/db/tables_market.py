"""The technology market's tables: achievements, demands, contracts, challenge calls and their
applications, panels, declarations, scores, milestones, payments, feedback; cooperation
projects. A party (enterprise or institution) is stored as kind + id."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from fourchain.adapters.db.tables import metadata


def _party(prefix: str, *, nullable: bool = False) -> tuple[Column[str], Column[str]]:
    return (
        Column(f"{prefix}_kind", String(20), nullable=nullable),
        Column(f"{prefix}_id", String(40), nullable=nullable),
    )


achievements = Table(
    "achievements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("institution_id", String(40), ForeignKey("institutions.id"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("abstract", Text, nullable=False),
    Column("keywords", Text, nullable=False),  # separated by "；"
    Column("discipline", String(100)),
    Column("ipc", String(40)),
    Column("trl", Integer, nullable=False),
    Column("ip_status", String(20), nullable=False),
    Column("patent_numbers", Text, nullable=False),  # separated by "；"; may be empty
    Column("transfer_modes", String(100), nullable=False),  # separated by ","
    Column("asking_terms", Text, nullable=False),
    Column("asking_price", Float),
    Column("contact", String(200), nullable=False),
    Column("cluster", String(50), ForeignKey("clusters.key")),
    Column("published", Date, nullable=False),
    Column("listed", Boolean, nullable=False),
    # A withdrawn record keeps its row (and its history in the audit trail) but leaves the
    # market: lists, detail pages and matching skip it.
    Column("withdrawn", Date),
    Index("ix_achievements_institution", "institution_id"),
    # Lists are newest first and stop after a page: an index in that order lets the database
    # walk it and stop, where the visibility OR would otherwise sort every visible row.
    Index("ix_achievements_published", "published", "id"),
)

demands = Table(
    "demands",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("credit_code", String(18), ForeignKey("enterprises.credit_code"), nullable=False),
    Column("problem", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("field", String(100), nullable=False),
    Column("cluster", String(50), ForeignKey("clusters.key")),
    Column("budget", Float, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("published", Date, nullable=False),
    Column("confidential", Boolean, nullable=False),
    Column("withdrawn", Date),
    Index("ix_demands_credit_code", "credit_code"),
    Index("ix_demands_published", "published", "id"),
)

tech_contracts = Table(
    "tech_contracts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(60), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    *_party("seller"),
    *_party("buyer"),
    Column("type", String(20), nullable=False),
    Column("value", Float, nullable=False),
    Column("signed", Date, nullable=False),
    Column("registered", Date),
    Column("achievement_id", Integer, ForeignKey("achievements.id")),
    Column("demand_id", Integer, ForeignKey("demands.id")),
    Column("withdrawn", Date),  # 0015a: the row stays; lists and figures leave it out
    Index("ix_tech_contracts_signed", "signed", "id"),
    Index("ix_tech_contracts_seller", "seller_kind", "seller_id"),
    Index("ix_tech_contracts_buyer", "buyer_kind", "buyer_id"),
)

challenge_calls = Table(
    "challenge_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("problem", Text, nullable=False),
    Column("conditions", Text, nullable=False),
    Column("reward", Float, nullable=False),
    Column("apply_by", Date, nullable=False),
    Column("field", String(100), nullable=False),
    Column("rubric", Text, nullable=False),  # JSON: [{key, label_zh, label_en, weight}]
    Column("min_reviews", Integer, nullable=False),
    Column("state", String(30), nullable=False),
    Column("published", Date),
    Index("ix_challenge_calls_state", "state"),
)

challenge_applications = Table(
    "challenge_applications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "call_id", Integer, ForeignKey("challenge_calls.id", ondelete="CASCADE"), nullable=False
    ),
    *_party("applicant"),
    Column("team_lead", String(100), nullable=False),
    Column("team", Text, nullable=False),
    Column("proposal", String(300), nullable=False),
    Column("approach", Text, nullable=False),
    Column("requested", Float, nullable=False),
    Column("submitted", Date, nullable=False),
    Column("state", String(20), nullable=False),
    Index("ix_challenge_applications_call", "call_id"),
    Index("ix_challenge_applications_applicant", "applicant_kind", "applicant_id"),
)

challenge_reviewers = Table(
    "challenge_reviewers",
    metadata,
    Column(
        "call_id",
        Integer,
        ForeignKey("challenge_calls.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("expert_id", String(60), primary_key=True),
    Column("name", String(100), nullable=False),
    *_party("affiliation", nullable=True),
    Index("ix_challenge_reviewers_expert", "expert_id"),
)


coi_declarations = Table(
    "coi_declarations",
    metadata,
    Column(
        "application_id",
        Integer,
        ForeignKey("challenge_applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("expert_id", String(60), primary_key=True),
    Column("conflicted", Boolean, nullable=False),
    Column("statement", Text, nullable=False),
    Column("declared", Date, nullable=False),
)

review_scores = Table(
    "review_scores",
    metadata,
    Column(
        "application_id",
        Integer,
        ForeignKey("challenge_applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("expert_id", String(60), primary_key=True),
    Column("criterion", String(40), primary_key=True),
    Column("points", Float, nullable=False),
)

milestones = Table(
    "milestones",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "call_id", Integer, ForeignKey("challenge_calls.id", ondelete="CASCADE"), nullable=False
    ),
    Column("title", String(300), nullable=False),
    Column("due", Date, nullable=False),
    Column("amount", Float, nullable=False),
    Column("accepted", Date),
    Index("ix_milestones_call", "call_id"),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "milestone_id", Integer, ForeignKey("milestones.id", ondelete="CASCADE"), nullable=False
    ),
    Column("amount", Float, nullable=False),
    Column("paid", Date, nullable=False),
    Index("ix_payments_milestone", "milestone_id"),
)

feedback = Table(
    "feedback",
    metadata,
    Column(
        "application_id",
        Integer,
        ForeignKey("challenge_applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("text", Text, nullable=False),
    Column("written", Date, nullable=False),
)

cooperation_projects = Table(
    "cooperation_projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("year", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    *_party("lead"),
    Column("partners", Text, nullable=False),  # "kind:id" separated by ","
    Column("funding", Float, nullable=False),
    Column("challenge_call_id", Integer, ForeignKey("challenge_calls.id")),
    Column("withdrawn", Date),  # 0015a: the row stays; lists and figures leave it out
    Index("ix_cooperation_projects_kind_year", "kind", "year"),
)
