"""The market's admin commands on a small demo city: JSON shapes that agree with the stored
workflow, tables for people, and a missing object exits 2 with one line on stderr."""

from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.demo.build import build_demo
from fourchain.demo.market import build_market_demo
from fourchain.domain.challenge import CallState

# jieba (imported by the market search CLI) warns on import; warnings are errors in tests.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.adapters.search import engine as _engine  # noqa: F401 (imported by `match`)
    from fourchain.entrypoints.cli.main import run


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("market") / "demo.db"
    database = open_database(sqlite_url(path))
    build_demo(database, seed=7, scale=0.02)
    build_market_demo(database.engine, seed=7, scale=0.02, today=date(2026, 6, 1))
    database.dispose()
    return path


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert run(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_challenge_list_shows_a_call_in_every_state(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = _json(capsys, "challenge", "list", "--db", str(db), "--json")
    assert isinstance(calls, list)
    assert {c["state"] for c in calls} == {s.value for s in CallState}
    only = _json(capsys, "challenge", "list", "--db", str(db), "--state", "closed", "--json")
    assert isinstance(only, list) and {c["state"] for c in only} == {"closed"}


def test_challenge_show_of_a_closed_call_has_one_winner_and_feedback_for_the_rest(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = _json(capsys, "challenge", "list", "--db", str(db), "--state", "closed", "--json")
    assert isinstance(closed, list)
    shown = _json(capsys, "challenge", "show", str(closed[0]["id"]), "--db", str(db), "--json")
    assert isinstance(shown, dict)
    apps = shown["applications"]
    winners = [a for a in apps if a["state"] == "won"]
    assert len(winners) == 1
    ranked = [a for a in apps if a["total"] is not None]
    assert max(ranked, key=lambda a: a["total"]) == winners[0]
    assert all(a["feedback"] for a in apps if a["state"] == "not_won")
    assert shown["paid"] == pytest.approx(sum(m["amount"] for m in shown["milestones"]))


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (("achievements", "list"), "title"),
        (("demands", "list"), "problem"),
        (("contracts", "list"), "number"),
    ],
)
def test_record_lists_print_json_rows(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], key: str
) -> None:
    rows = _json(capsys, *argv, "--db", str(db), "--limit", "5", "--json")
    assert isinstance(rows, list) and len(rows) == 5
    assert all(row[key] for row in rows)


def test_achievements_show_and_the_text_filter_agree(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _json(capsys, "achievements", "list", "--db", str(db), "--limit", "1", "--json")
    assert isinstance(first, list)
    word = first[0]["keywords"][0]
    found = _json(capsys, "achievements", "list", "--db", str(db), "--text", word, "--json")
    assert isinstance(found, list) and first[0]["id"] in {a["id"] for a in found}
    one = _json(capsys, "achievements", "show", str(first[0]["id"]), "--db", str(db), "--json")
    assert isinstance(one, dict) and one["title"] == first[0]["title"]
    assert one["institution_name"]


def test_cooperation_counts_and_turnover_print_tables(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = _json(capsys, "cooperation", "counts", "--db", str(db), "--json")
    assert isinstance(counts, dict) and set(counts) == {"breakthrough", "challenge", "iur"}
    assert run(["contracts", "turnover", "--db", str(db)]) == 0
    assert "Contract turnover" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("challenge", "show", "999"), "no challenge call 999"),
        (("achievements", "show", "999"), "no achievement 999"),
        (("achievements", "list", "--limit", "0"), "must be 1–500"),
    ],
)
def test_a_missing_object_or_bad_option_exits_2_with_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    assert run([*argv, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_a_missing_database_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.db"
    assert run(["challenge", "list", "--db", str(missing)]) == 2
    assert "no database" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.parametrize(
    ("argv", "kinds"),
    [
        (("demands", "match", "1"), {"achievement", "expert", "institution"}),
        (("achievements", "match", "1"), {"enterprise"}),
    ],
)
def test_match_commands_answer_with_the_kinds_each_direction_looks_for(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], kinds: set[str]
) -> None:
    found = _json(capsys, *argv, "--db", str(db), "--top", "5", "--json")
    assert isinstance(found, list) and found
    assert {f["kind"] for f in found} <= kinds
    for kind in kinds:  # up to --top of each kind, ranked within it, in one block
        ranks = [f["rank"] for f in found if f["kind"] == kind]
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 5
    assert [f["kind"] for f in found] == sorted(
        (f["kind"] for f in found), key=[f["kind"] for f in found].index
    )
    assert all(set(f) >= {"terms", "detail", "bm25", "cosine"} for f in found)


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ((), {"achievement", "expert", "institution", "enterprise"}),
        (("--kind", "achievement"), {"achievement"}),
        (("--kind", "expert", "--kind", "institution"), {"expert", "institution"}),
    ],
)
def test_market_query_searches_the_asked_kinds_with_a_relevance(
    db: Path, capsys: pytest.CaptureFixture[str], kinds: tuple[str, ...], expected: set[str]
) -> None:
    found = _json(capsys, "market", "query", "技术", *kinds, "--db", str(db), "--json")
    assert isinstance(found, list) and found
    assert {f["kind"] for f in found} <= expected
    assert all(0 <= f["relevance"] <= 100 and "duplicates" in f for f in found)
    assert all("合成示例数据" not in f["terms"] for f in found)


def test_market_query_prints_a_table_and_refuses_an_unknown_kind(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["market", "query", "技术", "--db", str(db), "--top", "2"]) == 0
    assert "相关度" in capsys.readouterr().out  # the relevance column (narrow: wrapped)
    assert run(["market", "query", "技术", "--db", str(db), "--kind", "demand"]) == 2
    assert "must be among" in capsys.readouterr().err
