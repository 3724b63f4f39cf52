"""The dataset label (`dataset_info`): read it, and clear a demo city so it can be rebuilt."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.exc import DBAPIError

from fourchain.adapters.db.tables import (
    certificates,
    chain_links,
    chains,
    enterprise_years,
    enterprises,
    institutions,
    macro_stats,
    patents,
)
from fourchain.adapters.db.tables_demo import dataset_info
from fourchain.errors import Conflict

# Children before parents, so foreign keys hold at every step.
DEMO_TABLES_TO_CLEAR = (
    dataset_info,
    patents,
    institutions,
    certificates,
    enterprise_years,
    enterprises,
    chain_links,
    chains,
    macro_stats,
)


def read_label(connection: Connection) -> dict[str, str]:
    """The dataset's facts, e.g. {"synthetic": "true", "seed": "…"}; empty when unlabelled."""
    rows = connection.execute(select(dataset_info.c.key, dataset_info.c.value))
    return {str(key): str(value) for key, value in rows}


def is_synthetic(label: dict[str, str]) -> bool:
    return label.get("synthetic") == "true"


def enterprise_count(connection: Connection) -> int:
    return int(connection.scalar(select(func.count()).select_from(enterprises)) or 0)


def clear_demo(engine: Engine) -> None:
    """Delete a demo city's records (only a database labelled synthetic), in one transaction."""
    with engine.begin() as connection:
        if not is_synthetic(read_label(connection)):
            raise Conflict("the database is not labelled synthetic; refusing to clear it")
        try:
            for table in DEMO_TABLES_TO_CLEAR:
                connection.execute(delete(table))
        except DBAPIError as error:  # a foreign key or another area's guard said no
            raise Conflict(
                "other records refer to the demo city's enterprises; clear them first "
                f"({type(error.orig).__name__})"
            ) from error
