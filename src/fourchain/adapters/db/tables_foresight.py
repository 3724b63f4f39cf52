"""The foresight area's table: `plan_targets`, the bureau's plan targets with their source."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table, Text

from fourchain.adapters.db.tables import metadata

plan_targets = Table(
    "plan_targets",
    metadata,
    Column("indicator", String(80), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("value", Float, nullable=False),
    Column("direction", String(10), nullable=False),
    Column("plan", String(100), nullable=False),
    Column("source", String(300), nullable=False),
    Column("note", Text),
)
