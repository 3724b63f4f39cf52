"""The cultivation area's stored reserve pools: one row per (year, tier), written by the
`cultivation.pools` job and read by the pool pages."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Float, Integer, String, Table, Text

from fourchain.adapters.db.tables import metadata

# `entries` is the whole assessment as JSON (columns aligned by row: credit codes, verdicts,
# gaps, names and places, the holders); `summary` its counts; each listable candidate's
# shortfalls are rows of `pool_details`, read for the rows of one page only.
# `data_version` is the stamp (data_version table) the registry was read at; naive UTC times.
pool_snapshots = Table(
    "pool_snapshots",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("tier", String(20), primary_key=True),
    Column("rule_set", String(60), nullable=False),
    Column("data_version", BigInteger),
    Column("computed_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("summary", Text, nullable=False),
    Column("entries", Text, nullable=False),
)


pool_details = Table(
    "pool_details",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("tier", String(20), primary_key=True),
    Column("row", Integer, primary_key=True, autoincrement=False),
    Column("shortfalls", Text, nullable=False),  # JSON list of "中文 / English"
    Column("manual", Text, nullable=False),  # JSON list of criteria's Chinese labels
)
