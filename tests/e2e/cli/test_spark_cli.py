"""`fourchain snapshot` and `fourchain indicators --engine spark` from the command line: the
snapshot's Parquet gives the same values on DuckDB as the database, and PySpark gives the same
values as DuckDB (one small Spark run: Spark is slow to start and the machine is shared)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.entrypoints.cli.main import run
from tests.integration.cultivation.random_profiles import YEAR, profiles
from tests.integration.cultivation.registry_fill import fill as fill_profiles
from tests.integration.indicators.small_registry import fill, fill_other_areas


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark-cli") / "registry.db"
    database = open_database(sqlite_url(path))
    fill(database.engine)
    fill_other_areas(database.engine)
    database.dispose()
    return path


def _values(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[tuple[str, str], float]:
    assert run([*argv, "--json"]) == 0, capsys.readouterr().err
    found = json.loads(capsys.readouterr().out)
    return {(v["id"], v.get("chain", "")): v["value"] for v in found}


def _same(a: dict[tuple[str, str], float], b: dict[tuple[str, str], float]) -> None:
    assert len(a) > 20 and a.keys() == b.keys()
    for key, left in a.items():
        right = b[key]
        if left is None or right is None:
            assert left is None and right is None, key
        else:
            assert math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-12), key


def test_a_snapshot_gives_the_databases_values(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snap"
    assert run(["snapshot", "--db", str(db), "--out", str(out)]) == 0
    listed = capsys.readouterr().out
    assert "enterprise_years.parquet" in listed and (out / "manifest.json").is_file()
    from_db = _values(capsys, ["indicators", "--db", str(db), "--year", "2025"])
    from_files = _values(capsys, ["indicators", "--snapshot", str(out), "--year", "2025"])
    _same(from_db, from_files)


def test_a_folder_that_is_not_a_snapshot_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["indicators", "--snapshot", str(tmp_path), "--year", "2025"]) == 2
    assert "not a registry snapshot" in capsys.readouterr().err


@pytest.mark.spark
@pytest.mark.slow
# PySpark 4.0 and Ibis's PySpark backend call pandas APIs pandas 3 deprecates; py4j leaves its
# sockets to the garbage collector.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_indicators_on_spark_equal_the_values_on_duckdb(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark")
    argv = ["indicators", "--db", str(db), "--year", "2025"]
    on_duckdb = _values(capsys, argv)
    on_spark = _values(capsys, [*argv, "--engine", "spark", "--spark-master", "local[2]"])
    _same(on_duckdb, on_spark)


def _verdicts(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[object]:
    assert run([*argv, "--json"]) == 0, capsys.readouterr().err
    found = json.loads(capsys.readouterr().out)
    assert isinstance(found, list)
    return found


@pytest.fixture(scope="module")
def firms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark-assess") / "firms.db"
    database = open_database(sqlite_url(path))
    with database.engine.begin() as connection:
        fill_profiles(connection, profiles(200, seed=11))
    database.dispose()
    return path


def test_assess_on_a_snapshot_gives_what_assess_on_the_database_gives(
    firms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snap"
    assert run(["snapshot", "--db", str(firms), "--out", str(out)]) == 0
    capsys.readouterr()
    argv = ["assess", "--year", str(YEAR)]
    on_db = _verdicts(capsys, [*argv, "--db", str(firms)])
    assert len(on_db) > 1000  # six tiers for each enterprise founded by then
    assert _verdicts(capsys, [*argv, "--snapshot", str(out)]) == on_db


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_assess_on_spark_gives_what_assess_on_the_database_gives(
    firms: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark")
    argv = [
        "assess",
        "--year",
        str(YEAR),
        "--db",
        str(firms),
        "--tier",
        "hnte",
        "--tier",
        "srdi_sme",
    ]
    on_db = _verdicts(capsys, argv)
    on_spark = _verdicts(capsys, [*argv, "--engine", "spark", "--spark-master", "local[2]"])
    assert on_spark == on_db
