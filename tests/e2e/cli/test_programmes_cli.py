"""`fourchain programmes`: list with filters, show a project with its history, move it with
evidence (audited under the user who ran it), and a refused move exits 2 with one line."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from fourchain.bootstrap import Database
from fourchain.entrypoints.cli.main import run
from tests.integration.programmes.seed import make_desk, seed_project


def test_a_project_is_listed_shown_and_moved_from_the_command_line(
    sqlite_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    project_id = seed_project(make_desk(sqlite_database))
    db = str(Path(str(sqlite_database.engine.url.database)))
    assert run(["programmes", "list", "--db", db, "--kind", "breakthrough", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 1 and listed["items"][0]["stage"] == "applied"
    assert run(["programmes", "list", "--db", db, "--stage", "approved", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0

    move = ["programmes", "move", str(project_id), "formal_check", "--on", "2023-03-10"]
    assert run([*move, "--db", db]) == 0
    assert "applied → formal_checked" in capsys.readouterr().out
    last = list(sqlite_database.audit_trail().store.in_order())[-1].event
    assert (last.action, last.object, last.username) == (
        "programme_step",
        f"programme_project:{project_id}",
        f"cli:{getpass.getuser()}",
    )

    refused = ["programmes", "move", str(project_id), "approve", "--on", "2023-04-01"]
    assert run([*refused, "--db", db]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "cannot approve" in error

    assert run(["programmes", "show", str(project_id), "--db", db, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["stage"] == "formal_checked"
    assert [h["move"] for h in shown["history"]] == ["formal_check"]
    assert shown["next_moves"] == ["send_to_review"]
    assert run(["programmes", "show", str(project_id), "--db", db]) == 0
    assert "形式审查通过" in capsys.readouterr().out
    assert run(["programmes", "move", "999", "accept", "--on", "2023-x", "--db", db]) == 2


def test_a_declaration_is_recorded_and_a_second_one_refused(
    sqlite_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    project_id = seed_project(make_desk(sqlite_database))
    db = str(Path(str(sqlite_database.engine.url.database)))
    assert run(["programmes", "move", str(project_id), "formal_check", "--on", "2023-03-10",
                "--db", db]) == 0  # fmt: skip
    declare = ["programmes", "declare", str(project_id), "e0", "--conflicted", "--db", db]
    assert run([*declare, "--statement", "曾任顾问", "--on", "2023-03-11"]) == 0
    assert "conflicted=True" in capsys.readouterr().out
    assert run([*declare, "--statement", "再次"]) == 2
    assert "already made" in capsys.readouterr().err


def test_an_outcome_waits_for_the_contract_and_a_product_needs_its_level(
    sqlite_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    project_id = seed_project(make_desk(sqlite_database))
    db = str(Path(str(sqlite_database.engine.url.database)))
    product = ["programmes", "outcome", str(project_id), "--kind", "product", "--db", db,
               "--reference", "碳化硅外延片"]  # fmt: skip
    assert run([*product, "--level", "international_leading", "--appraised", "2025-01-01"]) == 2
    assert "contract is signed" in capsys.readouterr().err
    assert run(product) == 2
    assert "level" in capsys.readouterr().err
