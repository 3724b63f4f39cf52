"""The registry's tables (SQLAlchemy Core). Other areas add theirs to the same `metadata`
in `tables_<area>.py`; `schema.py` imports them all."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

clusters = Table(
    "clusters",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("kind", String(30), nullable=False),
)

chains = Table(
    "chains",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("cluster", String(50), ForeignKey("clusters.key"), nullable=False),
)

chain_links = Table(
    "chain_links",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("chain", String(50), ForeignKey("chains.key"), nullable=False),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("position", String(20), nullable=False),
)

enterprises = Table(
    "enterprises",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("founded", Date),
    Column("district", String(50)),
    Column("zone", String(100)),
    Column("industry_code", String(10)),
    Column("cluster", String(50), ForeignKey("clusters.key")),
    Column("chain_link", String(80), ForeignKey("chain_links.key")),
    Column("above_scale", Boolean),
    Column("leading", Boolean),
    Column("niche_since", Integer),
    Column("main_product", String(200)),
    Column("strategic_emerging", Boolean),
    Column("key_chain_role", String(30)),
    Column("rd_institution_level", String(20)),
    # a Fujian pilot-era credit code, valid before GB 32100-2015 fixed the check character
    Column("credit_code_pre_standard", Boolean, nullable=False, server_default=false()),
    Index("ix_enterprises_cluster", "cluster"),
    Index("ix_enterprises_district", "district"),
)

_INT_YEAR_COLUMNS = (
    "employees",
    "st_staff",
    "rd_staff",
    "class1_ip",
    "class1_ip_high_value",
    "class1_ip_self_developed",
    "class2_ip",
    "conversions",
    "standards_led",
    "global_rank",
    "digital_level",
)
_NUMBER_YEAR_COLUMNS = (
    "revenue",
    "main_business_revenue",
    "hitech_revenue",
    "rd_expense",
    "rd_expense_domestic",
    "total_cost",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "export_revenue",
    "equity_financing",
    "niche_market_share",
)
_BOOL_YEAR_COLUMNS = ("major_incident", "dishonest_listed")

enterprise_years = Table(
    "enterprise_years",
    metadata,
    Column(
        "credit_code",
        String(18),
        ForeignKey("enterprises.credit_code", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("year", Integer, primary_key=True),
    *(Column(name, Integer) for name in _INT_YEAR_COLUMNS),
    *(Column(name, Float) for name in _NUMBER_YEAR_COLUMNS),
    *(Column(name, Boolean) for name in _BOOL_YEAR_COLUMNS),
    Index("ix_enterprise_years_year", "year"),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "credit_code",
        String(18),
        ForeignKey("enterprises.credit_code", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("tier", String(30), nullable=False),
    Column("number", String(60)),
    Column("issued", Date, nullable=False),
    Column("expires", Date, nullable=False),
    Column("issuer", String(100)),
    Column("revoked", Date),
    UniqueConstraint("credit_code", "tier", "issued", name="uq_certificates_natural"),
    Index("ix_certificates_tier", "tier", "issued", "expires"),
)

institutions = Table(
    "institutions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("level", String(20)),
    Column("district", String(50)),
    Column("zone", String(100)),
    Column("cluster", String(50), ForeignKey("clusters.key")),
    Column("host_credit_code", String(18), ForeignKey("enterprises.credit_code")),
    Column("recognised", Date),
    Column("closed", Date),
    Column("capacity", Integer),
    Column("services", Text),
    Index("ix_institutions_kind", "kind"),
)

patents = Table(
    "patents",
    metadata,
    Column("number", String(40), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("abstract", Text),
    Column("ipc", String(40)),
    Column("holder_credit_code", String(18), ForeignKey("enterprises.credit_code")),
    Column("holder_institution", String(40), ForeignKey("institutions.id")),
    Column("filed", Date, nullable=False),
    Column("granted", Date),
    Column("lapsed", Date),
    Column("hv_strategic_emerging", Boolean),
    Column("hv_overseas_family", Boolean),
    Column("hv_pledge_financing", Boolean),
    Column("hv_award", Boolean),
    Index("ix_patents_holder", "holder_credit_code"),
    Index("ix_patents_granted", "kind", "granted"),
)

macro_stats = Table(
    "macro_stats",
    metadata,
    Column("region", String(50), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("key", String(80), primary_key=True),
    Column("value", Float, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("source", String(300)),
)

# Which table each import kind writes, keyed like domain.records.RECORD_KINDS.
RECORD_TABLES: dict[str, Table] = {
    "enterprises": enterprises,
    "enterprise_years": enterprise_years,
    "certificates": certificates,
    "institutions": institutions,
    "patents": patents,
    "macro_stats": macro_stats,
    "clusters": clusters,
    "chains": chains,
    "chain_links": chain_links,
}
