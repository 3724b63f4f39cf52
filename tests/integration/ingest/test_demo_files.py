"""`fourchain demo --files`: the demo city as import files, loaded into an empty database on
SQLite and PostgreSQL, gives the built demo's figures and exports back the same files; a bad
row of any kind is refused with exit 2 and nothing written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fourchain.adapters.db.ingest_repo import KIND_TABLES
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.domain.records import RECORD_KINDS
from fourchain.domain.records_ledger import LEDGER_KINDS
from fourchain.domain.records_market import MARKET_KINDS
from fourchain.entrypoints.cli.main import run

# The smallest demo city the demo tests build: every part, a few seconds.
SCALE = "0.02"
CLAIMS = Path(__file__).parents[3].parent / "shared" / "domain" / "published_figures.csv"
FIGURES = (
    ["summary", "--json"],
    ["pipeline", "funnel", "--json"],
    ["finance", "leverage", "--json"],
    ["indicators", "--json"],
    ["claims", str(CLAIMS), "--json"],
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL of the built demo city, the folder its import files were written to)."""
    folder = tmp_path_factory.mktemp("demo-files")
    path = folder / "demo.db"
    files = folder / "files"
    code = run(["demo", "--db", str(path), "--scale", SCALE, "--files", str(files)])
    assert code == 0
    yield sqlite_url(path), files


def _figures(url: str, capsys: pytest.CaptureFixture[str]) -> list[object]:
    found = []
    for argv in FIGURES:
        capsys.readouterr()
        assert run([*argv[:-1], "--db", url, argv[-1]]) == 0, argv
        found.append(json.loads(capsys.readouterr().out))
    return found


def _manifest(files: Path) -> list[str]:
    return (files / "manifest.txt").read_text(encoding="utf-8").splitlines()


def test_the_manifest_lists_one_file_per_kind_in_import_order(
    demo: tuple[str, Path],
) -> None:
    _, files = demo
    names = _manifest(files)
    assert sorted(names) == sorted(f"{kind}.csv" for kind in RECORD_KINDS)
    assert names.index("enterprises.csv") < names.index("pipeline_events.csv")
    assert names.index("funds.csv") < names.index("investments.csv")
    assert all((files / name).stat().st_size > 0 for name in names)


def test_the_demo_files_load_into_an_empty_database_with_the_built_demos_figures_and_export_back_unchanged(  # noqa: E501
    demo: tuple[str, Path], db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built, files = demo
    open_database(db_url).dispose()  # empty and migrated
    for name in _manifest(files):
        kind = name.removesuffix(".csv")
        assert run(["import", "--db", db_url, "--kind", kind, str(files / name)]) == 0, name
    assert _figures(db_url, capsys) == _figures(built, capsys)
    for name in _manifest(files):
        out = tmp_path / name
        assert (
            run(["export", "--db", db_url, "--kind", name.removesuffix(".csv"), "--out", str(out)])
            == 0
        )  # noqa: E501
        assert out.read_bytes() == (files / name).read_bytes(), name


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _count(url: str, kind: str) -> int:
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(KIND_TABLES[kind])) or 0)
    finally:
        database.dispose()


@pytest.mark.parametrize("kind", [kind.name for kind in (*LEDGER_KINDS, *MARKET_KINDS)])
def test_a_bad_row_of_any_new_kind_is_refused_with_exit_2_and_nothing_written(
    demo: tuple[str, Path], kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, files = demo
    spec = RECORD_KINDS[kind]
    header, rows = _rows(files / f"{kind}.csv")
    last = rows[-1]
    # a good new row (a new natural key) beside a bad one: neither may be written
    good = list(last)
    key = spec.keys.index(spec.natural_key[-1])
    good[key] = str(int(good[key]) + 1000) if good[key].isdigit() else f"{good[key]}-new"
    bad = list(good)
    bad[key] = str(int(bad[key]) + 1) if bad[key].isdigit() else f"{bad[key]}-2"
    required = next(f.key for f in spec.fields if f.required and f.key not in spec.natural_key)
    bad[spec.keys.index(required)] = ""
    path = tmp_path / f"{kind}.csv"
    _write(path, header, [*rows, good, bad])
    before = _count(url, kind)
    capsys.readouterr()
    assert run(["import", "--db", url, "--kind", kind, str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{kind}.csv:{len(rows) + 3} [{required}]: is required but empty" in err
    assert _count(url, kind) == before


def test_a_pipeline_event_a_gate_refuses_is_an_error_naming_the_gate(
    demo: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, files = demo
    header, rows = _rows(files / "pipeline_events.csv")
    keys = RECORD_KINDS["pipeline_events"].keys
    last_of: dict[str, list[str]] = {}
    for row in rows:
        last_of[row[keys.index("project_id")]] = row
    # a project still at its first stage, sent straight to the industry park at TRL 2
    project, last = next((p, r) for p, r in last_of.items() if r[keys.index("kind")] != "exit")
    jump = dict(zip(keys, last, strict=True)) | {
        "seq": str(int(last[keys.index("seq")]) + 1),
        "kind": "entered_stage",
        "stage": "未来产业园",
        "exit": "",
        "trl": "2",
        "evidence": "",
        "amount": "",
        "override_reason": "",
        "by_admin": "否",
    }
    path = tmp_path / "pipeline_events.csv"
    _write(path, header, [*rows, [jump[k] for k in keys]])
    before = _count(url, "pipeline_events")
    capsys.readouterr()
    assert run(["import", "--db", url, "--kind", "pipeline_events", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"pipeline_events.csv:{len(rows) + 2} [kind]: the gate refuses it" in err, err
    assert project in err or "industry" in err.lower() or "产业园" in err
    assert _count(url, "pipeline_events") == before
