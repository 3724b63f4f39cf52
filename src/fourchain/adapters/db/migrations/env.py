"""Alembic environment: migrations run on the engine handed over in config.attributes."""

from __future__ import annotations

from alembic import context

from fourchain.adapters.db.migrate import include_object
from fourchain.adapters.db.schema import metadata

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    context.run_migrations()
