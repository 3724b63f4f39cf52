"""The registry's tables as Ibis tables: read from the SQL database into DuckDB, or from parquet.

DuckDB's sqlite and postgres scanners are extensions it downloads at run time, so the registry
is read through SQLAlchemy into Arrow (only the columns the indicators read) and handed over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa  # type: ignore[import-untyped]
from ibis.expr.types import Table
from sqlalchemy import Boolean, Date, Engine, Float, Integer, MetaData, select
from sqlalchemy import Table as SqlTable

from fourchain.adapters.analytics.quiet import ibis_on_duckdb
from fourchain.adapters.db.tables import metadata

# The columns each indicator-bearing table is read with (text columns the indicators never
# read, such as names and abstracts, are left in the database).
COLUMNS: dict[str, tuple[str, ...]] = {
    "enterprises": (
        "credit_code",
        "district",
        "zone",
        "founded",
        "industry_code",
        "cluster",
        "chain_link",
        "strategic_emerging",
    ),
    "enterprise_years": (
        "credit_code",
        "year",
        "st_staff",
        "revenue",
        "main_business_revenue",
        "rd_expense",
        "equity_financing",
        "conversions",
    ),
    "certificates": ("credit_code", "tier", "issued", "expires", "revoked"),
    "institutions": (
        "id",
        "kind",
        "district",
        "zone",
        "cluster",
        "host_credit_code",
        "recognised",
        "closed",
    ),
    "patents": (
        "number",
        "kind",
        "holder_credit_code",
        "filed",
        "granted",
        "lapsed",
        "hv_strategic_emerging",
        "hv_overseas_family",
        "hv_pledge_financing",
        "hv_award",
    ),
    "macro_stats": ("region", "year", "key", "value"),
    "clusters": ("key", "kind"),
    "chains": ("key", "name_zh", "name_en", "cluster"),
    "chain_links": ("key", "chain"),
}
# Tables other areas add; a database without them cannot give the figures they hold.
OPTIONAL = (
    "conversion_projects",
    "funds",
    "programmes",
    "programme_calls",
    "programme_projects",
    "programme_outcomes",
    "partners",
    "network_members",
    "joint_projects",
    "honours",
)


@dataclass
class RegistryTables:
    """The registry as Ibis tables on one backend; optional tables are None when absent."""

    enterprises: Table
    enterprise_years: Table
    certificates: Table
    institutions: Table
    patents: Table
    macro_stats: Table
    clusters: Table
    chains: Table
    chain_links: Table
    conversion_projects: Table | None = None
    funds: Table | None = None
    programmes: Table | None = None
    programme_calls: Table | None = None
    programme_projects: Table | None = None
    programme_outcomes: Table | None = None
    partners: Table | None = None
    network_members: Table | None = None
    joint_projects: Table | None = None
    honours: Table | None = None


def _arrow_type(column: Any) -> pa.DataType:
    kind = column.type
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, Integer):
        return pa.int64()
    if isinstance(kind, Float):
        return pa.float64()
    if isinstance(kind, Date):
        return pa.date32()
    return pa.string()


def _column(values: tuple[Any, ...] | list[Any], target: pa.DataType) -> pa.Array:
    """Driver values as an Arrow column of `target` type. SQLite hands dates over as ISO text
    and booleans as 0/1; Arrow's casts convert those far faster than Python would."""
    try:
        return pa.array(values, type=target)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(values).cast(target)


def read_arrow(engine: Engine, table: SqlTable, columns: tuple[str, ...] | None = None) -> pa.Table:
    """Read `columns` of `table` (all when None) into an Arrow table with matching types.
    Rows come from the driver directly: SQLAlchemy's per-value type processing (dates parsed
    one by one on SQLite) cost most of the time on a registry of a few hundred thousand rows."""
    chosen = [table.c[name] for name in columns] if columns else list(table.c)
    schema = pa.schema([(column.name, _arrow_type(column)) for column in chosen])
    query = select(*chosen).compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(str(query)).fetchall()
    if not rows:
        return schema.empty_table()
    by_column = list(zip(*rows, strict=True))
    data = [_column(by_column[i], field.type) for i, field in enumerate(schema)]
    return pa.Table.from_arrays(data, schema=schema)


def read_registry(engine: Engine) -> dict[str, pa.Table]:
    """Every table the indicators read, as Arrow; optional tables when the database has them."""
    tables = {
        name: read_arrow(engine, metadata.tables[name], cols) for name, cols in COLUMNS.items()
    }
    present = MetaData()
    present.reflect(engine, only=lambda name, _meta: name in OPTIONAL)
    for name in OPTIONAL:
        if name in present.tables:
            tables[name] = read_arrow(engine, present.tables[name])
    return tables


def _wrap(load: Callable[[str], Table], names: set[str]) -> RegistryTables:
    kwargs = {f.name: load(f.name) for f in fields(RegistryTables) if f.name in names}
    return RegistryTables(**kwargs)


def on_duckdb(arrow: dict[str, pa.Table], con: Any | None = None) -> RegistryTables:
    """Arrow tables as tables of an (in-memory by default) DuckDB connection."""
    con = con if con is not None else ibis.duckdb.connect()
    with ibis_on_duckdb():
        return _wrap(lambda name: con.create_table(name, arrow[name], overwrite=True), set(arrow))


def registry_on_duckdb(engine: Engine) -> RegistryTables:
    """The registry in `engine` loaded into a fresh in-memory DuckDB."""
    return on_duckdb(read_registry(engine))


def write_parquet(arrow: dict[str, pa.Table], folder: Path) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    folder.mkdir(parents=True, exist_ok=True)
    for name, table in arrow.items():
        pq.write_table(table, folder / f"{name}.parquet")


def from_parquet(con: Any, folder: Path) -> RegistryTables:
    """Tables from `<folder>/<table>.parquet` on any Ibis backend that reads parquet (DuckDB,
    PySpark): the way data that outgrows one machine reaches the same expressions."""
    names = {path.stem for path in folder.glob("*.parquet")}
    with ibis_on_duckdb():
        return _wrap(
            lambda name: con.read_parquet(str(folder / f"{name}.parquet"), table_name=name), names
        )
