"""`fourchain import / export / template`: exit codes, one-line results, every row error."""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.records import RECORD_KINDS

# jieba (imported by another area's commands) trips a DeprecationWarning on import.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.entrypoints.cli.main import run

CODE = make_credit_code("91350200MA0000001")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "city.db"
    open_database(sqlite_url(path)).dispose()
    return str(path)


def _file(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_file_imports_with_a_one_line_result(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _file(tmp_path / "e.csv", f"统一社会信用代码,企业名称\n{CODE},厦门甲公司\n")
    assert run(["import", "--db", db, "--kind", "enterprises", good]) == 0
    out, err = capsys.readouterr()
    assert out == "e.csv: 1 enterprises row(s) — 1 inserted, 0 updated, 0 unchanged\n"
    assert "importing e.csv: 1 of 1 rows written" in err  # plain progress when not a terminal


def test_a_bad_file_exits_2_listing_every_row_error_and_writes_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _file(tmp_path / "bad.csv", f"credit_code,name,founded\n{CODE},,2020-13-01\nX,乙,\n")
    assert run(["import", "--db", db, "--kind", "enterprises", bad]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == "error: bad.csv: 3 bad row(s); nothing was imported"
    assert lines[1] == "  bad.csv:2 [name]: is required but empty (企业名称)"
    assert lines[2].startswith('  bad.csv:2 [founded]: "2020-13-01" is not a date on the calendar')
    assert lines[3].startswith('  bad.csv:3 [credit_code]: "X": a credit code has 18 characters')
    assert (
        run(["export", "--db", db, "--kind", "enterprises", "--out", str(tmp_path / "o.csv")]) == 0
    )
    assert "0 enterprises row(s) written" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["import", "--kind", "firms", "F"],
            "error: unknown kind 'firms'; the kinds are: " + ", ".join(RECORD_KINDS),
        ),
        (["export", "--kind", "firms", "--out", "o.csv"], "error: unknown kind 'firms'"),
        (["template", "firms", "--out", "t.csv"], "error: unknown kind 'firms'"),
        (["import", "--kind", "enterprises", "missing.csv"], "error: missing.csv: no such file"),
        (["import", "--kind", "enterprises", "notes.txt"], "use a .csv or .xlsx file"),
        (
            ["export", "--kind", "clusters", "--year", "2024", "--out", "o.csv"],
            "error: --year applies to enterprise_years, macro_stats, conversion_projects, "
            "cooperation_projects, programme_calls, not clusters",
        ),
        (["template", "clusters", "--out", "t.pdf"], "use a .csv or .xlsx file"),
    ],
)
def test_a_mistake_is_one_line_on_stderr_with_exit_2(
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    if argv[0] != "template":
        argv = [*argv[:1], "--db", db, *argv[1:]]
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert message in err


def test_a_database_that_does_not_exist_is_not_created_by_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _file(tmp_path / "e.csv", f"credit_code,name\n{CODE},甲\n")
    missing = tmp_path / "nowhere.db"
    assert run(["import", "--db", str(missing), "--kind", "enterprises", good]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_what_import_reads_back_unchanged(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    good = _file(tmp_path / "e.csv", f"credit_code,name,above_scale\n{CODE},=1+1,Y\n")
    assert run(["import", "--db", db, "--kind", "enterprises", good]) == 0
    capsys.readouterr()
    out = tmp_path / f"export{suffix}"
    assert run(["export", "--db", db, "--kind", "enterprises", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"export{suffix}: 1 enterprises row(s) written\n"
    assert run(["import", "--db", db, "--kind", "enterprises", str(out)]) == 0
    assert "0 inserted, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_templates_are_written_in_both_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["template", "macro_stats", "--out", str(tmp_path / "m.csv")]) == 0
    assert run(["template", "macro_stats", "--out", str(tmp_path / "m.xlsx")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "m.csv: template for macro_stats (宏观统计) written",
        "m.xlsx: template for macro_stats (宏观统计) written",
    ]
    header = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").strip()
    assert header == "地区 (region),年度 (year),指标键 (key),数值 (value),单位 (unit),来源 (source)"
    assert openpyxl.load_workbook(tmp_path / "m.xlsx").sheetnames == ["宏观统计", "说明 Notes"]


def test_imports_refusals_and_exports_are_written_to_the_audit_log(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _file(tmp_path / "e.csv", f"credit_code,name\n{CODE},厦门甲公司\n")
    bad = _file(tmp_path / "bad.csv", "credit_code,name\nX,乙\n")
    assert run(["import", "--db", db, "--kind", "enterprises", good]) == 0
    assert run(["import", "--db", db, "--kind", "enterprises", bad]) == 2
    assert (
        run(["export", "--db", db, "--kind", "enterprises", "--out", str(tmp_path / "o.csv")]) == 0
    )
    capsys.readouterr()
    database = open_database(sqlite_url(db))
    try:
        with database.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT action, object, result, username FROM audit_log ORDER BY seq")
            ).all()
    finally:
        database.dispose()
    assert [(r.action, r.object, r.result) for r in rows] == [
        ("import", "enterprises:e.csv", "success"),
        ("import", "enterprises:bad.csv", "refused"),
        ("export", "enterprises:o.csv", "success"),
    ]
    assert all(r.username.startswith("cli:") for r in rows)
    assert run(["audit", "verify", "--db", db]) == 0


def test_a_big5_csv_is_refused_with_a_file_level_error_and_nothing_written(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big5 = tmp_path / "tw.csv"
    names = ("廈門星海微電子有限公司", "廈門藍灣生物醫藥科技有限公司")
    lines = ["統一社會信用代碼,企業名稱", *(f"{CODE},{name}" for name in names)]
    big5.write_bytes(("\n".join(lines) + "\n").encode("big5"))
    assert run(["import", "--db", db, "--kind", "enterprises", str(big5)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: tw.csv: is neither UTF-8 nor GB18030 text")
    assert "Big5" in err
    engine = open_database(sqlite_url(db), upgrade=False).engine
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM enterprises")).scalar() == 0
    engine.dispose()


def test_zero_width_characters_never_reach_a_stored_name(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _file(
        tmp_path / "e.csv", f"统一社会信用代码,企业名称\n{CODE},厦门\u200b甲\u200d公司\ufeff\n"
    )
    assert run(["import", "--db", db, "--kind", "enterprises", good]) == 0
    engine = open_database(sqlite_url(db), upgrade=False).engine
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM enterprises")).scalar() == "厦门甲公司"
    engine.dispose()
