"""The registry on PySpark: a Parquet snapshot of the registry, and a Spark session (local,
a standalone/YARN/Kubernetes master, or a Spark Connect `sc://` URL) that the catalogue's
Ibis expressions run on unchanged. pyspark is the optional extra `fourchain[spark]`."""

from __future__ import annotations

import json
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import Engine, MetaData

from fourchain.adapters.analytics.registry_source import (
    COLUMNS,
    OPTIONAL,
    RegistryTables,
    from_parquet,
    read_arrow,
)
from fourchain.adapters.db.tables import metadata
from fourchain.errors import ConfigError, InvalidInput

DEFAULT_MASTER = "local[*]"
# Every column of the panel, not only what the indicators read: the tier batch reads them all.
SNAPSHOT_TABLES = tuple(COLUMNS)


def write_snapshot(engine: Engine, folder: Path) -> dict[str, int]:
    """Write the registry's tables (all columns) as `<folder>/<table>.parquet`, and a
    manifest with the row counts; returns the counts."""
    folder.mkdir(parents=True, exist_ok=True)
    present = MetaData()
    present.reflect(engine, only=lambda name, _meta: name in OPTIONAL)
    tables = [metadata.tables[name] for name in SNAPSHOT_TABLES] + [
        present.tables[name] for name in OPTIONAL if name in present.tables
    ]
    counts = {}
    for table in tables:
        arrow = read_arrow(engine, table)
        pq.write_table(arrow, folder / f"{table.name}.parquet")
        counts[table.name] = arrow.num_rows
    manifest = {"written": datetime.now(UTC).isoformat(timespec="seconds"), "rows": counts}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return counts


def check_snapshot(folder: Path) -> Path:
    missing = [name for name in SNAPSHOT_TABLES if not (folder / f"{name}.parquet").is_file()]
    if missing:
        raise InvalidInput(
            f"{folder}: not a registry snapshot (missing {', '.join(missing)}.parquet); "
            "write one with `fourchain snapshot --out DIR`"
        )
    return folder


def spark_session(master: str = DEFAULT_MASTER) -> Any:
    """A Spark session on `master`; `sc://host:15002` connects through Spark Connect."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the Spark engine needs pyspark: pip install 'fourchain[spark]'"
        ) from None
    if master.startswith("sc://"):
        return SparkSession.builder.remote(master).getOrCreate()
    scratch = tempfile.mkdtemp(prefix="fourchain-spark-")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            SparkSession.builder.master(master)
            .appName("fourchain")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", f"{scratch}/warehouse")
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch}")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    return session


def registry_on_spark(folder: Path, master: str = DEFAULT_MASTER) -> RegistryTables:
    """The snapshot in `folder` as tables of a Spark session (the files must be readable where
    the executors run: a shared or object-store path on a cluster)."""
    session = spark_session(master)
    mode = "connect" if master.startswith("sc://") else "batch"
    return from_parquet(ibis.pyspark.connect(session, mode=mode), check_snapshot(folder))


def registry_on_duckdb_parquet(folder: Path) -> RegistryTables:
    """The snapshot in `folder` on an in-memory DuckDB (the same files, one machine)."""
    return from_parquet(ibis.duckdb.connect(), check_snapshot(folder))
