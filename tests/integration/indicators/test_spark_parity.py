"""The same catalogue on PySpark gives the same numbers as on DuckDB (data handed over as parquet,
the way data that outgrows one machine reaches the distributed engine)."""

from __future__ import annotations

import math
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pytest

from fourchain.adapters.analytics.chain_measures import chain_measures
from fourchain.adapters.analytics.indicators_ibis import catalogue_table
from fourchain.adapters.analytics.optional_tables import optional_spans
from fourchain.adapters.analytics.quiet import rows
from fourchain.adapters.analytics.registry_source import (
    RegistryTables,
    from_parquet,
    read_registry,
    write_parquet,
)
from fourchain.bootstrap import Database
from tests.integration.indicators.small_registry import fill, fill_other_areas

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    # PySpark 4.0 and Ibis's PySpark backend still call pandas APIs that pandas 3 deprecates
    # (the copy keyword); the warnings come from their internals, not from our expressions.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    # py4j leaves its gateway sockets to the garbage collector.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
YEARS = list(range(2019, 2026))
SPANS = [(2021, 2025), (2022, 2024)]


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    # A fresh machine has Python, git and make: no Java, which Spark needs (CI has it).
    java = Path(os.environ["JAVA_HOME"], "bin", "java") if "JAVA_HOME" in os.environ else None
    if not (java and java.exists()) and shutil.which("java") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Java is required in CI for the PySpark parity tests")
        pytest.skip("no Java (JAVA_HOME or java on PATH) for PySpark; required in CI")
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            pyspark_sql.SparkSession.builder.master("local[2]")
            .appName("fourchain-parity")
            .config("spark.sql.warehouse.dir", str(warehouse))
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
            .getOrCreate()
        )
    yield session
    session.stop()


@pytest.fixture
def panel(sqlite_database: Database, tmp_path: Path) -> Path:
    fill(sqlite_database.engine)
    fill_other_areas(sqlite_database.engine)
    folder = tmp_path / "panel"
    write_parquet(read_registry(sqlite_database.engine), folder)
    return folder


def _catalogue(tables: RegistryTables) -> dict[tuple[str, int, int | None], float | None]:
    spans, _missing = optional_spans(tables)
    expr = catalogue_table(tables, YEARS, SPANS, extra_span=spans)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        found = rows(expr)
    return {(r["id"], r["year"], r["span_start"]): r["value"] for r in found}


def _chains(tables: RegistryTables) -> dict[tuple[str, int, str], float | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        found = rows(chain_measures(tables, YEARS))
    return {(r["chain"], r["year"], r["measure"]): r["value"] for r in found}


def _same(left: float | None, right: float | None) -> bool:
    if left is None or right is None or math.isnan(left) or math.isnan(right):
        return (left is None or math.isnan(left)) and (right is None or math.isnan(right))
    return math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-12)


def test_pyspark_computes_every_indicator_exactly_as_duckdb_does(panel: Path, spark: Any) -> None:
    on_duckdb = _catalogue(from_parquet(ibis.duckdb.connect(), panel))
    on_spark = _catalogue(from_parquet(ibis.pyspark.connect(spark), panel))
    assert len(on_duckdb) > 80  # every indicator, every year: the comparison is not empty
    assert on_spark.keys() == on_duckdb.keys()
    differ = {
        k: (on_duckdb[k], on_spark[k]) for k in on_duckdb if not _same(on_duckdb[k], on_spark[k])
    }
    assert differ == {}


def test_pyspark_computes_the_chain_measures_exactly_as_duckdb_does(
    panel: Path, spark: Any
) -> None:
    on_duckdb = _chains(from_parquet(ibis.duckdb.connect(), panel))
    on_spark = _chains(from_parquet(ibis.pyspark.connect(spark), panel))
    assert on_duckdb and on_spark.keys() == on_duckdb.keys()
    assert all(_same(on_duckdb[k], on_spark[k]) for k in on_duckdb)
