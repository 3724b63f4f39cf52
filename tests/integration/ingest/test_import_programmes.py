"""Programme kinds in files on both backends: a round trip of programmes, calls, projects and
outcomes, and a file with a bad row rejected by file, row and field with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.db.tables import institutions
from fourchain.adapters.ingest import write_table
from fourchain.bootstrap import Database
from fourchain.domain.records import IMPORT_ORDER, RECORD_KINDS
from fourchain.errors import ImportRejected
from fourchain.services.ingest import export_rows
from tests.integration.ingest.conftest import CODES, count, import_file, seed, stored, write_csv

PROJECT_HEADER = [
    "id",
    "call_id",
    "项目名称",
    "lead_kind",
    "lead_id",
    "partners",
    "public_budget",
    "self_raised",
    "cluster",
    "number",
    "阶段",
    "applied",
    "approved",
]


def _programmes(database: Database, folder: Path) -> None:
    seed(database, folder)
    with database.engine.begin() as connection:
        connection.execute(
            insert(institutions), [{"id": "XMU", "name": "厦门大学", "kind": "university"}]
        )
    import_file(
        database,
        "programmes",
        write_csv(
            folder / "programmes.csv",
            ["key", "name_zh", "name_en", "kind", "level"],
            ["key_rd", "重点研发计划", "Key R&D", "关键核心技术攻关", "市级"],
            ["national_major", "国家重大科技专项", "National major", "national_major", "national"],
        ),
    )
    import_file(
        database,
        "programme_calls",
        write_csv(
            folder / "calls.csv",
            ["id", "programme", "year", "title"],
            [1, "key_rd", 2023, "2023年度重点研发计划"],
            [2, "national_major", 2024, "2024年度国家重大专项"],
        ),
    )


def test_programme_kinds_import_and_export_the_same_rows(
    database: Database, tmp_path: Path
) -> None:
    _programmes(database, tmp_path)
    projects = write_csv(
        tmp_path / "projects.csv",
        PROJECT_HEADER,
        [1, 1, "芯片封装关键技术", "enterprise", CODES[0], "institution:XMU", 3_000_000,
         6_000_000, "semiconductors", "XK-2023-1", "accepted", "2023-03-01", "2023-06-01"],
        [2, 2, "国家专项课题", "institution", "XMU", f"enterprise:{CODES[1]}", 20_000_000,
         0, "", "", "applied", "2024-04-01", ""],
    )  # fmt: skip
    result = import_file(database, "programme_projects", projects)
    assert (result.inserted, result.updated) == (2, 0)
    import_file(
        database,
        "programme_outcomes",
        write_csv(
            tmp_path / "outcomes.csv",
            ["id", "project_id", "kind", "reference", "level", "appraised", "appraiser"],
            [1, 1, "product", "高密度封装基板", "国际先进", "2025-02-01", "省科技厅"],
        ),
    )
    for kind in ("programmes", "programme_calls", "programme_projects", "programme_outcomes"):
        out = tmp_path / f"{kind}-out.csv"
        with database.engine.connect() as connection:
            write_table(
                out, RECORD_KINDS[kind], export_rows(SqlIngestStore(connection), RECORD_KINDS[kind])
            )
        before = stored(database, kind)
        again = import_file(database, kind, out)
        assert again.inserted == 0 and again.rows == len(before), kind
        assert stored(database, kind) == before, kind
    (first, _) = stored(database, "programme_projects")
    assert first["public_budget"] == 3_000_000 and first["partners"] == "institution:XMU"
    assert IMPORT_ORDER.index("programme_projects") > IMPORT_ORDER.index("programme_calls")


def test_a_file_with_a_bad_row_is_refused_by_row_and_field_and_nothing_is_written(
    database: Database, tmp_path: Path
) -> None:
    _programmes(database, tmp_path)
    bad = write_csv(
        tmp_path / "projects.csv",
        PROJECT_HEADER,
        [1, 1, "好的一行", "enterprise", CODES[0], "", 1, 1, "", "", "applied", "2023-03-01", ""],
        [2, 9, "无此指南", "enterprise", CODES[0], "", 1, 1, "", "", "applied", "2023-03-01", ""],
        [3, 1, "合作单位写错", "enterprise", CODES[0], "XMU", 1, 1, "", "", "applied",
         "2023-03-01", ""],
        [4, 1, "立项早于申报", "institution", "NOPE", "", 1, 1, "", "", "approved",
         "2023-03-01", "2023-01-01"],
    )  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        import_file(database, "programme_projects", bad)
    where = [(e.row, e.column) for e in caught.value.errors]
    assert (3, "call_id") in where
    assert (4, "partners") in where
    assert (5, "lead_id") in where
    assert (5, "applied") in where  # the approval before the application
    assert all(str(e).startswith("projects.csv:") for e in caught.value.errors)
    assert count(database, "programme_projects") == 0


EVENT_HEADER = ["id", "project_id", "move", "on", "document", "note", "public_funding", "ends",
                "passed"]  # fmt: skip


def _one_project(database: Database, folder: Path) -> None:
    _programmes(database, folder)
    import_file(
        database,
        "programme_projects",
        write_csv(
            folder / "projects.csv",
            PROJECT_HEADER,
            [
                1,
                1,
                "芯片封装关键技术",
                "enterprise",
                CODES[0],
                "",
                3_000_000,
                6_000_000,
                "",
                "",
                "applied",
                "2023-03-01",
                "",
            ],
        ),  # fmt: skip
    )


def test_stage_records_replay_through_the_state_machine_and_move_the_project(
    database: Database, tmp_path: Path
) -> None:
    _one_project(database, tmp_path)
    steps = write_csv(
        tmp_path / "steps.csv",
        EVENT_HEADER,
        [1, 1, "formal_check", "2023-03-10", "", "", "", "", "是"],
        [2, 1, "send_to_review", "2023-03-20", "", "", "", "", "是"],
        [3, 1, "approve", "2023-05-01", "厦科〔2023〕8号", "", 2_500_000, "", "是"],
    )
    assert import_file(database, "programme_stage_events", steps).inserted == 3
    (project,) = stored(database, "programme_projects")
    assert (project["stage"], project["public_budget"], project["number"]) == (
        "approved",
        2_500_000,
        "厦科〔2023〕8号",
    )
    assert [e["target"] for e in stored(database, "programme_stage_events")] == [
        "formal_checked",
        "under_review",
        "approved",
    ]
    # the same file again changes nothing; the export imports as it is
    assert import_file(database, "programme_stage_events", steps).inserted == 0
    out = tmp_path / "steps-out.csv"
    kind = RECORD_KINDS["programme_stage_events"]
    with database.engine.connect() as connection:
        write_table(out, kind, export_rows(SqlIngestStore(connection), kind))
    assert import_file(database, "programme_stage_events", out).inserted == 0


def test_a_step_the_state_machine_refuses_rejects_the_file_by_row(
    database: Database, tmp_path: Path
) -> None:
    _one_project(database, tmp_path)
    steps = write_csv(
        tmp_path / "steps.csv",
        EVENT_HEADER,
        [1, 1, "formal_check", "2023-03-10", "", "", "", "", "是"],
        [2, 1, "approve", "2023-05-01", "文号", "", 1, "", "是"],
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(database, "programme_stage_events", steps)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (3, "move") and "cannot approve" in str(error)
    assert count(database, "programme_stage_events") == 0
    assert stored(database, "programme_projects")[0]["stage"] == "applied"
