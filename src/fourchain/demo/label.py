"""The dataset label (`dataset_info`): read it, and clear a demo city so it can be rebuilt."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select, text

from fourchain.adapters.db import migrate
from fourchain.adapters.db.name_search import drop_search_indexes
from fourchain.adapters.db.schema import metadata
from fourchain.adapters.db.tables import enterprises
from fourchain.adapters.db.tables_demo import dataset_info
from fourchain.errors import Conflict


def read_label(connection: Connection) -> dict[str, str]:
    """The dataset's facts, e.g. {"synthetic": "true", "seed": "…"}; empty when unlabelled."""
    rows = connection.execute(select(dataset_info.c.key, dataset_info.c.value))
    return {str(key): str(value) for key, value in rows}


def is_synthetic(label: dict[str, str]) -> bool:
    return label.get("synthetic") == "true"


def enterprise_count(connection: Connection) -> int:
    return int(connection.scalar(select(func.count()).select_from(enterprises)) or 0)


def clear_demo(engine: Engine) -> None:
    """Empty a demo city's database (only one labelled synthetic) so it can be built again:
    every area's tables are dropped — the pipeline's append-only log and the market's rows
    refer to the demo's enterprises, so deleting the registry alone cannot work — and the
    migrations build the schema afresh."""
    with engine.connect() as connection:
        if not is_synthetic(read_label(connection)):
            raise Conflict("the database is not labelled synthetic; refusing to clear it")
    with engine.begin() as connection:
        metadata.drop_all(connection)
        drop_search_indexes(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate.upgrade(engine)
