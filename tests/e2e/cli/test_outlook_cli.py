"""`fourchain targets` and `fourchain outlook` from the command line: targets go in through the
import machinery (all or nothing, errors naming file, row and column) and come back out; the
outlook prints each indicator's projection, backtest error and chance of each target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.entrypoints.cli.main import run
from tests.integration.indicators.small_registry import fill

HEADER = "indicator,year,value,direction,plan,source,note\n"
GOOD = HEADER + (
    "rd_intensity,2030,4.0,at_least,十五五,某规划 第三章,\n"
    "hnte_count,2030,3,at_least,十五五,某规划 第四章,only a test\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "registry.db"
    database = open_database(sqlite_url(path))
    fill(database.engine)
    database.dispose()
    return path


def test_targets_round_trip_through_import_and_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "targets.csv"
    source.write_text(GOOD, encoding="utf-8")
    assert run(["targets", "import", str(source), "--db", str(db)]) == 0
    assert "2 inserted or changed" in capsys.readouterr().out
    assert run(["targets", "import", str(source), "--db", str(db)]) == 0
    assert "0 inserted or changed" in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    assert run(["targets", "export", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    assert run(["targets", "import", str(out), "--db", str(db)]) == 0
    assert "2 plan target(s), 0 inserted" in capsys.readouterr().out
    assert run(["targets", "list", "--db", str(db), "--json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert [(t["indicator"], t["year"], t["source"]) for t in stored] == [
        ("hnte_count", 2030, "某规划 第四章"),
        ("rd_intensity", 2030, "某规划 第三章"),
    ]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("no_such_indicator,2030,1,at_least,p,s,", "indicator"),
        ("rd_intensity,2030,1,sideways,p,s,", "direction"),
        ("rd_intensity,2030,1,at_least,p,,", "source"),
        ("rd_intensity,20x0,1,at_least,p,s,", "year"),
    ],
)
def test_a_bad_target_rejects_the_whole_file_naming_row_and_column(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, column: str
) -> None:
    source = tmp_path / "targets.csv"
    source.write_text(GOOD + row + "\n", encoding="utf-8")
    assert run(["targets", "import", str(source), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"targets.csv:4 [{column}]" in err
    assert run(["targets", "list", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_outlook_projects_to_the_plans_end_with_the_backtest_and_target_chances(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "targets.csv"
    source.write_text(GOOD, encoding="utf-8")
    assert run(["targets", "import", str(source), "--db", str(db)]) == 0
    capsys.readouterr()
    argv = ["outlook", "--db", str(db), "--to", "2030"]
    assert run([*argv, "--json"]) == 0, capsys.readouterr().err
    found = {o["indicator"]: o for o in json.loads(capsys.readouterr().out)}
    hnte = found["hnte_count"]
    assert [p["year"] for p in hnte["projection"]] == list(range(2026, 2031))
    assert all(p["low"] <= p["value"] <= p["high"] for p in hnte["projection"])
    assert hnte["backtest"]["year"] == 2025
    assert hnte["backtest"]["error"] == pytest.approx(
        hnte["backtest"]["predicted"] - hnte["backtest"]["actual"]
    )
    assert 0 <= hnte["targets"][0]["probability"] <= 1
    # Two years of R&D intensity are too few to project: the outlook says so.
    rd = found["rd_intensity"]
    assert rd["projection"] == [] and rd["note"]
    assert run(argv) == 0
    text = capsys.readouterr().out
    assert "backtest" in text and "hnte_count" in text
    assert run([*argv, "--indicator", "nope"]) == 2
    assert "not a yearly catalogue indicator" in capsys.readouterr().err
