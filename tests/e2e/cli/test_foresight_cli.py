"""`fourchain whatif` and `fourchain policy` from the command line: the JSON shapes the issue
spells out, the baseline at no change, and one-line errors."""

from __future__ import annotations

import json

import pytest

from fourchain.bootstrap import Database
from fourchain.entrypoints.cli.main import run
from tests.integration.cultivation.random_profiles import YEAR, profiles
from tests.integration.cultivation.registry_fill import fill


@pytest.fixture
def filled(database: Database) -> Database:
    with database.engine.begin() as connection:
        fill(connection, profiles(300, seed=5))
    return database


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert run(argv) == 0, capsys.readouterr().err
    found = json.loads(capsys.readouterr().out)
    assert isinstance(found, dict)
    return found


def test_whatif_prints_the_issues_json_shape_and_no_change_is_the_baseline(
    filled: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["whatif", "--db", filled.url, "--year", str(YEAR), "--tier", "hnte", "--json"]
    same = _json(capsys, base)
    assert same["scenario"] == same["baseline"] and same["moves"] == []
    found = _json(capsys, [*base, "--change", "rd_expense=+30%", "--change", "st_staff=+10%"])
    assert {"year", "tier", "changes", "baseline", "scenario", "moves", "by_cluster"} <= set(found)
    assert {"binding", "cost"} <= set(found)
    assert found["changes"] == ["rd_expense=+30%", "st_staff=+10%"]
    assert found["baseline"] == same["baseline"]
    moves = found["moves"]
    assert isinstance(moves, list) and moves
    assert all(set(m) == {"from", "to", "n"} for m in moves)
    assert all(set(b) == {"criterion", "n"} for b in found["binding"])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("rd_expense=ten", "FIELD=+10%"),
        ("name=+10%", "cannot be changed"),
        ("rd_expense=-100%", "leaves nothing"),
    ],
)
def test_a_bad_change_is_one_line_naming_it(
    filled: Database, capsys: pytest.CaptureFixture[str], change: str, message: str
) -> None:
    argv = ["whatif", "--db", filled.url, "--year", str(YEAR), "--tier", "hnte"]
    assert run([*argv, "--change", change]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_policy_register_and_an_enterprises_eligible_measures(
    filled: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["policy", "--year", str(YEAR), "--json"]) == 0
    register = json.loads(capsys.readouterr().out)
    assert {m["key"] for m in register} >= {"hnte_first_award", "rd_growth_subsidy"}
    assert all(m["basis"] and m["status"] for m in register)
    totals = []
    for code in [p.credit_code for p in profiles(300, seed=5)[:40]]:
        found = _json(
            capsys,
            ["policy", "--db", filled.url, "--credit-code", code, "--year", str(YEAR), "--json"],
        )
        amounts = [m["amount"] for m in found["measures"]]  # type: ignore[attr-defined]
        assert found["total"] == pytest.approx(sum(amounts))
        totals.append(found["total"])
    assert any(t > 0 for t in totals)
