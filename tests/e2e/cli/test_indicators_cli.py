"""`fourchain indicators`, `claims` and `report five-year` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.entrypoints.cli.main import run
from tests.integration.indicators.small_registry import fill

CLAIMS = """id,indicator,topic,claim,value,unit,period,comparison
rd_2024,rd_intensity,innovation,R&D intensity,3.46,percent,2024,
hnte,hnte_count,enterprises,high-tech enterprises,5,count,2025,
rank,torch_zone_national_rank,carriers,rank,14,rank,2024,
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "registry.db"
    database = open_database(sqlite_url(path))
    fill(database.engine)
    database.dispose()
    return path


def test_indicators_json_prints_id_year_value_unit_in_published_units(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["indicators", "--db", str(db), "--year", "2024", "--json"]) == 0
    values = json.loads(capsys.readouterr().out)
    city = {v["id"]: v for v in values if "chain" not in v}
    assert city["rd_intensity"] == {
        "id": "rd_intensity",
        "year": 2024,
        "value": pytest.approx(3.46),  # a percentage as 3.46, not 0.0346
        "unit": "percent",
    }
    assert city["national_key_labs"]["value"] == 2
    assert all(set(v) <= {"id", "year", "value", "unit", "chain"} for v in values)
    assert {v["chain"] for v in values if v["id"] == "fusion_index"} == {"ic", "drug"}


def test_claims_json_marks_each_claim(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text(CLAIMS, encoding="utf-8")
    assert run(["claims", "--db", str(db), str(claims), "--json"]) == 0
    verdicts = {v["id"]: v for v in json.loads(capsys.readouterr().out)}
    assert verdicts["rd_2024"]["status"] == "consistent"
    assert verdicts["hnte"]["status"] == "inconsistent"
    assert (verdicts["hnte"]["published"], verdicts["hnte"]["computed"]) == (5, 0)
    assert verdicts["rank"]["status"] == "not derivable"
    assert verdicts["rank"]["detail"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["claims", "--db", "{db}", "{tmp}/missing.csv"], "error: no claims file at"),
        (["indicators", "--db", "{tmp}/nowhere.db"], "error: no database at"),
        (["indicators", "--db", "{db}", "--year", "3000"], "error: --year 3000 is outside"),
        (["claims", "--db", "{db}", "{tmp}/bad.csv"], "error: "),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "bad.csv").write_text("id,indicator,value,unit,period\nx,y,abc,count,2025\n")
    args = [a.format(db=db, tmp=tmp_path) for a in argv]
    assert run(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(message)
    assert "Traceback" not in "\n".join(err)


@pytest.mark.slow
def test_report_five_year_writes_three_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    argv = ["report", "five-year", "--db", str(db), "--year", "2025", "--out", str(out)]
    assert run(argv) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed] == ["report.html", "report.pdf", "report.xlsx"]
    assert all((out / name).stat().st_size > 0 for name in ("report.html", "report.pdf"))
