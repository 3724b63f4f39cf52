"""`fourchain demo --files`: the demo city as import files, loaded into an empty database on
SQLite and PostgreSQL, gives the built demo's figures and exports back the same files; a bad
row of any kind is refused with exit 2 and nothing written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, text

from fourchain.adapters.db.ingest_repo import KIND_TABLES
from fourchain.bootstrap import open_database, open_services
from fourchain.config import sqlite_url
from fourchain.domain.records import RECORD_KINDS
from fourchain.domain.records_ledger import LEDGER_KINDS
from fourchain.domain.records_market import MARKET_KINDS
from fourchain.entrypoints.cli.main import run
from fourchain.services.jobs import MARKET_INDEX_SYNC

# The smallest demo city the demo tests build: every part, a few seconds.
SCALE = "0.02"
# the shared domain notes beside the checkout (a worktree sits one folder deeper)
CLAIMS = next(
    (
        found
        for folder in Path(__file__).parents
        if (found := folder / "shared" / "domain" / "published_figures.csv").is_file()
    ),
    Path(__file__).parents[3].parent / "shared" / "domain" / "published_figures.csv",
)
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


# --- withdrawn records: the files carry the withdrawal (issue 12) ---------------------------

WITHDRAWN_ON = "2025-01-15"
WITHDRAWABLE = [name for name, spec in RECORD_KINDS.items() if "withdrawn" in spec.keys]


def _withdraw_some(url: str) -> dict[str, set[str]]:
    """Withdraw at least one record of every kind that can be withdrawn, keeping the book
    whole as the finance desk demands (a fund, a subsidy and a policy leave with what rests
    on them); returns what was withdrawn, by kind (natural keys)."""
    database = open_database(url)
    picked: dict[str, set[str]] = {}

    def last(connection: Connection, table: str, where: str = "1=1") -> str:
        key = "number" if table == "tech_contracts" else "id"
        value = connection.scalar(text(f"SELECT max({key}) FROM {table} WHERE {where}"))
        assert value is not None, (table, where)
        return str(value)

    def withdraw(connection: Connection, kind: str, where: str) -> None:
        table = KIND_TABLES[kind]
        (key,) = RECORD_KINDS[kind].natural_key
        connection.execute(
            text(f"UPDATE {table.name} SET withdrawn = :day WHERE {where}"),
            {"day": date.fromisoformat(WITHDRAWN_ON)},
        )
        query = text(f"SELECT {key} FROM {table.name} WHERE withdrawn IS NOT NULL")
        picked[kind] = {str(value) for value in connection.scalars(query)}

    try:
        with database.engine.begin() as c:
            leaf = c.scalar(
                text(
                    "SELECT min(key) FROM funds f WHERE NOT EXISTS (SELECT 1 FROM funds g "
                    "WHERE g.parent = f.key) AND EXISTS (SELECT 1 FROM fund_commitments m "
                    "WHERE m.fund = f.key)"
                )
            )
            assert leaf is not None
            withdraw(c, "loans", f"guarantee_fund = '{leaf}' OR id = {last(c, 'loans')}")
            other = last(c, "investments", f"fund <> '{leaf}'")
            withdraw(c, "investments", f"fund = '{leaf}' OR id = {other}")
            withdraw(c, "fund_commitments", f"fund = '{leaf}'")
            withdraw(c, "funds", f"key = '{leaf}'")
            subsidy = last(c, "subsidies", "id IN (SELECT subsidy_id FROM subsidy_disbursements)")
            paid = last(c, "subsidy_disbursements", f"subsidy_id <> {subsidy}")
            withdraw(c, "subsidy_disbursements", f"subsidy_id = {subsidy} OR id = {paid}")
            withdraw(c, "subsidies", f"id = {subsidy}")
            policy = last(c, "insurance_policies", "id IN (SELECT policy_id FROM insurance_claims)")
            claim = last(c, "insurance_claims", f"policy_id <> {policy}")
            withdraw(c, "insurance_claims", f"policy_id = {policy} OR id = {claim}")
            withdraw(c, "insurance_policies", f"id = {policy}")
            for kind in ("pipeline_projects", "people"):
                withdraw(c, kind, f"id = '{last(c, kind)}'")
            for kind in ("conversion_projects", "achievements", "demands", "cooperation_projects"):
                withdraw(c, kind, f"id = {last(c, kind)}")
            withdraw(c, "tech_contracts", f"number = '{last(c, 'tech_contracts')}'")
    finally:
        database.dispose()
    return picked


def _withdrawn(url: str) -> dict[str, set[str]]:
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            found = {}
            for kind in WITHDRAWABLE:
                (key,) = RECORD_KINDS[kind].natural_key
                table = KIND_TABLES[kind]
                query = select(table.c[key]).where(table.c.withdrawn.is_not(None))
                found[kind] = {str(value) for value in connection.scalars(query)}
            return found
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def withdrawn_city(
    demo: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, dict[str, set[str]]]:
    """A copy of the demo city with records of every withdrawable kind withdrawn, and its
    export: (URL, the folder of its files with manifest.txt, what was withdrawn)."""
    built, files = demo
    folder = tmp_path_factory.mktemp("withdrawn-city")
    path = folder / "city.db"
    shutil.copyfile(built.removeprefix("sqlite:///"), path)
    url = sqlite_url(path)
    picked = _withdraw_some(url)
    out = folder / "files"
    out.mkdir()
    shutil.copyfile(files / "manifest.txt", out / "manifest.txt")
    for name in _manifest(files):
        kind = name.removesuffix(".csv")
        assert run(["export", "--db", url, "--kind", kind, "--out", str(out / name)]) == 0
    return url, out, picked


def test_every_kind_that_can_be_withdrawn_was_withdrawn_in_the_city(
    withdrawn_city: tuple[str, Path, dict[str, set[str]]],
) -> None:
    _, _, picked = withdrawn_city
    assert sorted(WITHDRAWABLE) == sorted(picked)
    assert all(picked.values()), picked


def test_withdrawn_records_survive_export_then_import_then_export(
    withdrawn_city: tuple[str, Path, dict[str, set[str]]],
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, files, picked = withdrawn_city
    open_database(db_url).dispose()  # empty and migrated
    for name in _manifest(files):
        kind = name.removesuffix(".csv")
        assert run(["import", "--db", db_url, "--kind", kind, str(files / name)]) == 0, name
    assert _withdrawn(db_url) == picked
    with open_services(db_url) as services:  # the matching index syncs, as after a web write
        assert services.jobs.jobs.latest(MARKET_INDEX_SYNC) is not None
    # the figures leave the withdrawn records out, as in the city they came from
    assert _figures(db_url, capsys) == _figures(source, capsys)
    for name in _manifest(files):
        out = tmp_path / name
        kind = name.removesuffix(".csv")
        assert run(["export", "--db", db_url, "--kind", kind, "--out", str(out)]) == 0
        assert out.read_bytes() == (files / name).read_bytes(), name
    # off the market at once: neither listed nor matched
    (achievement,) = picked["achievements"]
    (demand,) = picked["demands"]
    capsys.readouterr()
    assert run(["achievements", "list", "--db", db_url, "--json", "--limit", "500"]) == 0
    listed = {str(row["id"]) for row in json.loads(capsys.readouterr().out)}
    assert listed and achievement not in listed
    assert run(["demands", "match", demand, "--db", db_url, "--mode", "bm25"]) == 2
    assert "已撤回" in capsys.readouterr().err


def _withdrawn_column(files: Path, kind: str) -> tuple[list[str], list[list[str]], int]:
    header, rows = _rows(files / f"{kind}.csv")
    return header, rows, header.index("撤回日期 (withdrawn)")


@pytest.mark.parametrize("kind", WITHDRAWABLE)
def test_a_file_without_the_withdrawn_column_leaves_withdrawals_alone_and_with_it_is_the_truth(
    withdrawn_city: tuple[str, Path, dict[str, set[str]]],
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, files, picked = withdrawn_city
    url = sqlite_url(tmp_path / "city.db")
    shutil.copyfile(source.removeprefix("sqlite:///"), tmp_path / "city.db")
    header, rows, at = _withdrawn_column(files, kind)
    old = tmp_path / f"{kind}.csv"  # an old file: no withdrawn column at all
    _write(old, header[:at] + header[at + 1 :], [row[:at] + row[at + 1 :] for row in rows])
    assert run(["import", "--db", url, "--kind", kind, str(old)]) == 0
    assert _withdrawn(url)[kind] == picked[kind]
    # the column present and blank: the file is the truth, the records are live again
    blank = tmp_path / f"blank-{kind}.csv"
    _write(blank, header, [[*row[:at], "", *row[at + 1 :]] for row in rows])
    capsys.readouterr()
    assert run(["import", "--db", url, "--kind", kind, str(blank)]) == 0
    assert _withdrawn(url)[kind] == set()
    assert f"0 withdrawn, {len(picked[kind])} made live again" in capsys.readouterr().out
    with open_services(url) as services:  # the import's audit entry says so
        *_, entry = services.auth.audit.store.in_order()
    assert entry.event.action == "import"
    assert json.loads(entry.event.detail)["restored_rows"] == len(picked[kind])


@pytest.mark.parametrize("kind", WITHDRAWABLE)
def test_a_bad_withdrawal_date_is_refused_with_exit_2_and_nothing_written(
    withdrawn_city: tuple[str, Path, dict[str, set[str]]],
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, files, picked = withdrawn_city
    url = sqlite_url(tmp_path / "city.db")
    shutil.copyfile(source.removeprefix("sqlite:///"), tmp_path / "city.db")
    header, rows, at = _withdrawn_column(files, kind)
    bad = [list(row) for row in rows]
    bad[0][at] = "2025-02-30"
    bad[-1][at] = "2999-01-01"  # in the future
    if len(rows) > 2:
        bad[1][at] = WITHDRAWN_ON  # a good withdrawal beside them is not written either
    path = tmp_path / f"{kind}.csv"
    _write(path, header, bad)
    capsys.readouterr()
    assert run(["import", "--db", url, "--kind", kind, str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{kind}.csv:2 [withdrawn]: " in err, err
    assert f"{kind}.csv:{len(rows) + 1} [withdrawn]: " in err, err
    assert "in the future" in err
    assert _withdrawn(url)[kind] == picked[kind]
