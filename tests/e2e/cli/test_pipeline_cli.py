"""The pipeline and finance commands: their JSON shapes, and a refused move exits 2 with the
reason on one line."""

from __future__ import annotations

import json
import warnings
from datetime import date, datetime
from pathlib import Path

import pytest

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.domain.finance import Commitment, Fund, FundKind, Investment
from fourchain.domain.pipeline import GATES, STAGES, EventKind, PipelineEvent
from fourchain.domain.talent import Person
from tests.integration.pipeline.conftest import GRADUATE, HOSTS, seed_registry

# jieba 0.42.1 (imported by the market CLI) has invalid escape sequences that Python reports
# as a DeprecationWarning when compiling it; with warnings as errors that breaks importing the CLI.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.entrypoints.cli.main import run

RD, POC = STAGES[:2]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite registry with project P1 in the proof-of-concept stage since 2022."""
    monkeypatch.setenv("FOURCHAIN_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "city.db"
    database = open_database(sqlite_url(path))
    seed_registry(database)
    with database.engine.begin() as connection:
        SqlPipelineStore(connection).append_events(
            "P1",
            [
                PipelineEvent(EventKind.ENTERED_STAGE, date(2021, 2, 1), "o", stage=RD, trl=2),
                PipelineEvent(
                    EventKind.ENTERED_STAGE,
                    date(2022, 2, 1),
                    "o",
                    stage=POC,
                    trl=4,
                    evidence=GATES[POC].evidence,
                ),
            ],
            datetime(2025, 1, 1),
        )
        store = SqlFinanceStore(connection)
        store.add_funds([Fund("venture", "科创风投基金", FundKind.VENTURE, 100.0)])
        store.add_commitments([Commitment("venture", "市财政", 40.0, True, date(2021, 1, 1))])
        store.add_commitments([Commitment("venture", "社会资本", 60.0, False, date(2021, 1, 1))])
        store.add_investments(
            [Investment("科创风投基金", "angel", 50.0, date(2022, 3, 1), "venture", "P1")]
        )
    database.dispose()
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert run(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_funnel_json_is_one_object_per_stage_in_order(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _json(capsys, ["pipeline", "funnel", "--db", str(db), "--json"])
    assert [r["stage"] for r in rows] == [s.value for s in STAGES]  # type: ignore[union-attr]
    assert rows[0] == {  # type: ignore[index]
        "stage": "rd_institution",
        "entered": 1,
        "passed": 1,
        "conversion": 1.0,
        "median_days": 365.0,
    }
    assert rows[1] == {  # type: ignore[index]
        "stage": "proof_of_concept",
        "entered": 1,
        "passed": 0,
        "conversion": 0.0,
        "median_days": None,
    }
    empty = _json(capsys, ["pipeline", "funnel", "--db", str(db), "--cohort", "2024", "--json"])
    assert [(r["entered"], r["conversion"]) for r in empty] == [(0, None)] * 5  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("stage", "ids"), [(None, ["P1"]), ("proof_of_concept", ["P1"]), ("pilot", [])]
)
def test_projects_json_lists_projects_with_their_derived_stage(
    db: Path, capsys: pytest.CaptureFixture[str], stage: str | None, ids: list[str]
) -> None:
    argv = ["pipeline", "projects", "--db", str(db), "--json"]
    rows = _json(capsys, argv + (["--stage", stage] if stage else []))
    assert [r["id"] for r in rows] == ids  # type: ignore[union-attr]
    if ids:
        assert rows[0] == {  # type: ignore[index]
            "id": "P1",
            "title": "固态电池电解质",
            "cluster": "new_energy",
            "chain": "batteries",
            "stage": "proof_of_concept",
            "exit": None,
            "started": "2021-02-01",
            "stage_since": "2022-02-01",
            "institution": None,
            "trl": 4,
            "enterprise": None,
            "funding": 0.0,
        }


def test_advance_with_evidence_moves_the_project_and_keeps_the_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "poc.pdf"
    report.write_bytes(b"report")
    argv = [
        "pipeline",
        "advance",
        "--db",
        str(db),
        "--project",
        "P1",
        "--to",
        "pilot",
        "--evidence",
        str(report),
        "--trl",
        "5",
        "--on",
        "2023-01-02",
        "--by",
        "lin",
        "--institution",
        HOSTS[STAGES[2]],
    ]
    assert run(argv) == 0
    assert capsys.readouterr().out.strip() == "P1: pilot (recorded by lin)"
    shown = _json(capsys, ["pipeline", "show", "--db", str(db), "--project", "P1"])
    assert shown["stage"] == "pilot"  # type: ignore[index]
    assert shown["evidence"][0]["kind"] == "poc_report"  # type: ignore[index]
    assert len(list((tmp_path / "data" / "evidence").rglob("*"))) == 2  # a folder and the file


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (["--to", "incubator", "--trl", "7"], "a stage cannot be skipped"),
        (
            ["--to", "pilot", "--trl", "5"],
            "needs evidence not yet recorded: Proof-of-concept report",
        ),
        (["--to", "pilot", "--trl", "5", "--evidence", "missing.pdf"], "evidence file not found"),
        (["--to", "park"], "unknown target 'park'"),
        (["--to", "pilot", "--on", "yesterday"], "--on must be a date"),
    ],
)
def test_a_refused_advance_exits_2_with_the_reason_on_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], extra: list[str], reason: str
) -> None:
    assert run(["pipeline", "advance", "--db", str(db), "--project", "P1", *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and reason in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    shown = _json(capsys, ["pipeline", "show", "--db", str(db), "--project", "P1"])
    assert shown["stage"] == "proof_of_concept"  # type: ignore[index]


def test_an_administrator_override_is_recorded_with_its_reason(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "pipeline",
        "advance",
        "--db",
        str(db),
        "--project",
        "P1",
        "--to",
        "incubator",
        "--by",
        "admin",
        "--on",
        "2023-01-02",
        "--override-reason",
        "省重大专项直接孵化",
    ]
    assert run(argv) == 0
    capsys.readouterr()
    shown = _json(capsys, ["pipeline", "show", "--db", str(db), "--project", "P1"])
    assert shown["overrides"] == ["2023-01-02 admin: 省重大专项直接孵化"]  # type: ignore[index]


def test_finance_views_report_leverage_and_funds(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = _json(capsys, ["finance", "leverage", "--db", str(db), "--json"])
    assert (view["public"], view["private"], view["leverage"], view["reconciled"]) == (  # type: ignore[index]
        20.0,
        30.0,
        1.5,
        True,
    )
    assert view["by_stage"]["proof_of_concept"]["total"] == 50.0  # type: ignore[index]
    funds = _json(capsys, ["finance", "funds", "--db", str(db), "--json"])
    assert funds == [
        {
            "key": "venture",
            "name": "科创风投基金",
            "kind": "venture",
            "size": 100.0,
            "parent": None,
            "committed": 100.0,
            "public_committed": 40.0,
            "invested": 50.0,
            "investments": 1,
            "projects": 1,
            "enterprises": 0,
            "guaranteed": 0.0,
        }
    ]


def test_a_missing_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["pipeline", "funnel", "--db", str(tmp_path / "none.db"), "--json"]) == 2
    assert "no database at" in capsys.readouterr().err


def test_finance_invest_records_money_into_a_project_with_its_event_and_audit_entry(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["finance", "invest", "--investor", "科创风投基金", "--round", "A"]
    argv += ["--amount", "30", "--on", "2023-05-01", "--fund", "venture", "--project", "P1"]
    assert run([*argv, "--db", str(db)]) == 0
    assert "recorded" in capsys.readouterr().out
    database = open_database(sqlite_url(db))
    with database.engine.connect() as connection:
        events = SqlPipelineStore(connection).events("P1")
        book = SqlFinanceStore(connection).book()
    (entry,) = database.audit_trail().store.in_order()
    database.dispose()
    assert [i.amount for i in book.investments] == [50.0, 30.0]
    assert (events[-1].kind, events[-1].amount) == (EventKind.FUNDING, 30.0)
    assert (entry.event.action, entry.event.object) == ("record_created", "investment:P1")
    assert entry.event.username.startswith("cli:")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--amount", "20", "--project", "P9"], "P9"),
        (["--amount", "20", "--on", "2023/5/1x", "--project", "P1"], "--on"),
    ],
)
def test_a_refused_cli_investment_exits_2_and_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["finance", "invest", "--investor", "x", "--round", "A", "--on", "2023-05-01"]
    assert run([*argv, *extra, "--fund", "venture", "--db", str(db)]) == 2
    assert message in capsys.readouterr().err
    database = open_database(sqlite_url(db))
    assert list(database.audit_trail().store.in_order()) == []
    database.dispose()


def test_finance_edit_and_withdraw_correct_an_investment_each_audited(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["finance", "edit-investment", "1", "--investor", "科创风投基金", "--round", "A"]
    argv += ["--amount", "40", "--on", "2023-05-01", "--fund", "venture", "--project", "P1"]
    assert run([*argv, "--db", str(db)]) == 0
    assert "investment 1 edited" in capsys.readouterr().out
    assert run(["finance", "withdraw", "investments", "1", "--db", str(db)]) == 0
    assert run(["finance", "withdraw", "investments", "1", "--db", str(db)]) == 2
    assert "withdrawn" in capsys.readouterr().err
    assert run(["finance", "withdraw", "funds", "1", "--db", str(db)]) == 2
    database = open_database(sqlite_url(db))
    with database.engine.connect() as connection:
        book = SqlFinanceStore(connection).book()
    entries = [(e.event.action, e.event.object) for e in database.audit_trail().store.in_order()]
    database.dispose()
    assert book.investments == ()
    assert entries == [("record_edited", "investment:1"), ("record_withdrawn", "investment:1")]


def test_finance_edit_fund_and_withdraw_it_once_its_investment_is_withdrawn(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["finance", "edit-fund", "venture", "--name", "科创风投基金（二期）"]
    argv += ["--kind", "venture", "--size", "120", "--db", str(db)]
    assert run(argv) == 0
    assert "fund venture edited" in capsys.readouterr().out
    assert run(["finance", "withdraw", "fund", "venture", "--db", str(db)]) == 2
    assert "1 investments" in capsys.readouterr().err
    assert run(["finance", "withdraw", "fund_commitments", "x", "--db", str(db)]) == 2
    # 50 invested needs more than the 40 left: refused until the investment goes
    assert run(["finance", "withdraw", "fund_commitments", "2", "--db", str(db)]) == 2
    assert "breaks the book" in capsys.readouterr().err
    assert run(["finance", "withdraw", "investments", "1", "--db", str(db)]) == 0
    assert run(["finance", "withdraw", "fund_commitments", "2", "--db", str(db)]) == 0
    assert run(["finance", "withdraw", "fund", "venture", "--db", str(db)]) == 0
    assert "fund venture withdrawn" in capsys.readouterr().out
    assert _json(capsys, ["finance", "funds", "--db", str(db), "--json"]) == []
    database = open_database(sqlite_url(db))
    with database.engine.connect() as connection:
        book = SqlFinanceStore(connection).book()
        kept = SqlFinanceStore(connection).fund_record("venture")
    entries = [(e.event.action, e.event.object) for e in database.audit_trail().store.in_order()]
    database.dispose()
    assert book.funds == book.commitments == ()
    assert kept is not None and kept["name"] == "科创风投基金（二期）" and kept["withdrawn"]
    assert entries == [
        ("record_edited", "fund:venture"),
        ("record_withdrawn", "investment:1"),
        ("record_withdrawn", "fund_commitment:2"),
        ("record_withdrawn", "fund:venture"),
    ]


def test_pipeline_corrections_from_the_command_line_each_audited(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = open_database(sqlite_url(db))
    with database.engine.begin() as connection:
        SqlPipelineStore(connection).add_people([Person("PX1", "陈一", None, "储能", None)])
    database.dispose()
    argv = ["pipeline", "add-conversion", "--enterprise", GRADUATE, "--title", "隔膜中试"]
    assert run([*argv, "--year", "2025", "--project", "P1", "--db", str(db)]) == 0
    assert "conversion project 1 recorded" in capsys.readouterr().out
    assert run([*argv, "--year", "1800", "--db", str(db)]) == 2
    assert "year" in capsys.readouterr().err
    assert run(["pipeline", "attach", "P1", "PX1", "--role", "founder", "--db", str(db)]) == 0
    assert run(["pipeline", "detach", "P1", "PX1", "--db", str(db)]) == 0
    assert "left project P1 on" in capsys.readouterr().out
    assert run(["pipeline", "detach", "P1", "PX1", "--db", str(db)]) == 2  # already left
    assert run(["pipeline", "attach", "P1", "PX1", "--db", str(db)]) == 0  # back on the team
    capsys.readouterr()
    team = _json(capsys, ["pipeline", "show", "--db", str(db), "--project", "P1"])["team"]
    assert [(m["name"], m["role"], m["left"] is None) for m in team] == [
        ("陈一", "founder", False),  # left, kept in the history
        ("陈一", "team_member", True),
    ]
    assert run(["pipeline", "withdraw-conversion", "1", "--db", str(db)]) == 0
    why = ["--reason", "重复录入"]
    assert run(["pipeline", "withdraw-person", "PX1", *why, "--db", str(db)]) == 0
    assert run(["pipeline", "withdraw-project", "P1", "--db", str(db)]) == 0
    assert run(["pipeline", "withdraw-project", "P1", "--db", str(db)]) == 2
    assert "withdrawn" in capsys.readouterr().err
    move = ["pipeline", "advance", "--db", str(db), "--project", "P1", "--to", "pilot"]
    assert run([*move, "--trl", "5", "--on", "2023-01-02", "--by", "lin"]) == 2
    assert "was withdrawn on" in capsys.readouterr().err  # a withdrawn project stays put
    database = open_database(sqlite_url(db))
    with database.engine.connect() as connection:
        standing = [p.id for p in SqlPipelineStore(connection).projects()]
    kept = list(database.audit_trail().store.in_order())
    entries = [(e.event.action, e.event.object) for e in kept]
    database.dispose()
    assert [
        json.loads(e.event.detail)["reason"] for e in kept if e.event.object == "person:PX1"
    ] == ["重复录入"]
    assert "P1" not in standing
    assert entries == [
        ("record_created", "conversion_project:1"),
        ("record_created", "pipeline_project:P1:person:PX1"),
        ("record_withdrawn", "pipeline_project:P1:person:PX1"),
        ("record_created", "pipeline_project:P1:person:PX1"),
        ("record_withdrawn", "conversion_project:1"),
        ("record_withdrawn", "person:PX1"),
        ("record_withdrawn", "pipeline_project:P1"),
    ]
