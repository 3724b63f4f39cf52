"""The job runner's table: one row a job, read by every server process and the worker."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table, Text

from fourchain.adapters.db.tables import metadata

# Times are naive UTC in storage, as in the accounts' tables. `pending_key` is set while a
# deduplicated job waits (unique: a second submit finds the first) and cleared when it starts.
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("status", String(10), nullable=False),
    Column("account", String(80), nullable=False),
    Column("params", Text, nullable=False),  # JSON object
    Column("stage", String(40), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Column("files", Text, nullable=False),  # JSON list of file names
    Column("folder", Text, nullable=False),
    Column("pending_key", String(120), unique=True),
    Column("worker", String(200)),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime),
    Column("finished_at", DateTime),
    Column("files_removed", Boolean, nullable=False),
    Index("ix_jobs_kind_created", "kind", "created_at"),
    Index("ix_jobs_status", "status"),
)
