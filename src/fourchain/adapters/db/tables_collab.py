"""Open collaboration's and the honours register's tables (SQLAlchemy Core, shared metadata):
partner organisations, networks and programmes, memberships, cooperation agreements, joint
projects, innovation-consortium members, and honours with their source documents."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table

from fourchain.adapters.db.tables import metadata

partners = Table(
    "partners",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("country", String(2), nullable=False),  # ISO 3166-1 alpha-2
    Column("kind", String(30), nullable=False),
    Column("city", String(100)),
    Index("ix_partners_country", "country"),
)

networks = Table(
    "networks",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("host", String(200)),
    Column("founded", Date),
)

network_members = Table(
    "network_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("network", String(60), ForeignKey("networks.key"), nullable=False),
    Column("partner", String(60), ForeignKey("partners.key"), nullable=False),
    Column("joined", Date, nullable=False),
    Column("left", Date),
    Index("ix_network_members_network", "network"),
)

cooperation_agreements = Table(
    "cooperation_agreements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("partner", String(60), ForeignKey("partners.key"), nullable=False),
    Column("network", String(60), ForeignKey("networks.key")),
    Column("signed", Date, nullable=False),
    Column("expires", Date),
)

joint_projects = Table(
    "joint_projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("partner", String(60), ForeignKey("partners.key"), nullable=False),
    Column("network", String(60), ForeignKey("networks.key")),
    Column("credit_code", String(18), ForeignKey("enterprises.credit_code")),
    Column("started", Date, nullable=False),
    Index("ix_joint_projects_network", "network"),
)

consortium_members = Table(
    "consortium_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consortium", String(40), ForeignKey("institutions.id"), nullable=False),
    Column("member_kind", String(20), nullable=False),
    Column("member_id", String(60), nullable=False),
    Column("role", String(20), nullable=False),
    Column("joined", Date, nullable=False),
    Column("left", Date),
    Index("ix_consortium_members_consortium", "consortium"),
)

honours = Table(
    "honours",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("category", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("holder", String(200), nullable=False),
    Column("credit_code", String(18), ForeignKey("enterprises.credit_code")),
    Column("awarded", Date, nullable=False),
    Column("rank", Integer),
    Column("source", String(300), nullable=False),
    Index("ix_honours_category", "category"),
)

COLLAB_TABLES: dict[str, Table] = {
    "partners": partners,
    "networks": networks,
    "network_members": network_members,
    "cooperation_agreements": cooperation_agreements,
    "joint_projects": joint_projects,
    "consortium_members": consortium_members,
    "honours": honours,
}
