"""The demo area's table: `dataset_info`, key-value facts about the dataset (synthetic or
not, its name, the generator's seed and version)."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text

from fourchain.adapters.db.tables import metadata

dataset_info = Table(
    "dataset_info",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)
