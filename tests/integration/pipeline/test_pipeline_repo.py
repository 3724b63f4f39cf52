"""Pipeline storage on SQLite and PostgreSQL: the event log round-trips and only grows; advancing
with evidence keeps the files and their records; a refused move writes nothing."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from fourchain.adapters.db.pipeline_repo import EvidenceVault, SqlPipelineStore
from fourchain.adapters.db.tables_pipeline import pipeline_events, pipeline_evidence
from fourchain.bootstrap import Database
from fourchain.domain.pipeline import (
    GATES,
    STAGES,
    EventKind,
    EvidenceKind,
    PipelineEvent,
    derive_state,
)
from fourchain.errors import InvalidInput, NotFound, TransitionRefused
from fourchain.services.pipeline import Advance, EvidenceFile, advance, project_page
from tests.integration.pipeline.conftest import GRADUATE, HOSTS

RD, POC, PILOT, INC, PARK = STAGES
NOW = datetime(2025, 1, 1, 9, 0)


def _enter(stage: object, on: date, trl: int) -> PipelineEvent:
    return PipelineEvent(
        EventKind.ENTERED_STAGE,
        on,
        "officer",
        stage=stage,
        trl=trl,  # type: ignore[arg-type]
        evidence=GATES[stage].evidence,
        institution=HOSTS[stage],  # type: ignore[index]
    )


HISTORY = [
    _enter(RD, date(2021, 1, 5), 2),
    PipelineEvent(EventKind.FUNDING, date(2021, 3, 1), "officer", amount=500_000.0, note="种子"),
    PipelineEvent(EventKind.GATE_REVIEW, date(2021, 9, 1), "expert", trl=3, passed=True),
    PipelineEvent(
        EventKind.MILESTONE,
        date(2021, 9, 2),
        "officer",
        evidence=frozenset({EvidenceKind.DISCLOSURE}),
    ),
    PipelineEvent(
        EventKind.ENTERED_STAGE,
        date(2021, 10, 1),
        "admin",
        stage=POC,
        trl=4,
        by_admin=True,
        override_reason="省重点项目",
    ),
]


def _events_and_evidence(database: Database) -> tuple[int, int]:
    with database.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(pipeline_events)) or 0),
            int(connection.scalar(select(func.count()).select_from(pipeline_evidence)) or 0),
        )


def test_an_appended_history_reads_back_event_for_event(seeded: Database) -> None:
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY, NOW)
    with seeded.engine.connect() as connection:
        store = SqlPipelineStore(connection)
        assert store.events("P1") == HISTORY
        assert store.histories() == {"P1": HISTORY}
        state = derive_state(store.events("P1"))
    assert (state.stage, state.funding, state.overrides) == (
        POC,
        500_000.0,
        ("2021-10-01 admin: 省重点项目",),
    )


def test_the_repository_offers_no_way_to_change_or_remove_an_event() -> None:
    verbs = ("update", "delete", "remove", "replace", "edit", "set_")
    assert [n for n in dir(SqlPipelineStore) if n.startswith(verbs)] == []


@pytest.mark.parametrize(
    "statement",
    [
        update(pipeline_events).values(amount=1.0),
        delete(pipeline_events),
    ],
    ids=["update", "delete"],
)
def test_the_database_itself_refuses_to_update_or_delete_events(
    seeded: Database, statement: object
) -> None:
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY[:2], NOW)
    with pytest.raises(DBAPIError, match="append-only"), seeded.engine.begin() as connection:
        connection.execute(statement)  # type: ignore[call-overload]
    assert _events_and_evidence(seeded) == (2, 0)


def _advance(database: Database, vault: EvidenceVault, **kw: object) -> object:
    with database.unit() as unit:
        store = SqlPipelineStore(unit.connection)
        return advance(store, vault, Advance(**kw), NOW, unit.audit)  # type: ignore[arg-type]


def test_advancing_with_evidence_keeps_the_file_and_records_who_and_when(
    seeded: Database, tmp_path: Path
) -> None:
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY, NOW)
    report = tmp_path / "概念验证报告.pdf"
    report.write_bytes(b"%PDF-1.7 proof of concept passed")
    vault = EvidenceVault(tmp_path / "data")
    state = _advance(
        seeded,
        vault,
        project_id="P1",
        to="pilot",
        by="officer",
        on=date(2022, 5, 1),
        trl=5,
        evidence=(EvidenceFile(report),),
        institution=HOSTS[PILOT],
    )
    assert state.stage is PILOT  # type: ignore[attr-defined]
    sha = hashlib.sha256(report.read_bytes()).hexdigest()
    with seeded.engine.connect() as connection:
        page = project_page(SqlPipelineStore(connection), "P1")
    (record,) = page.evidence
    assert (record.kind, record.file_name, record.sha256, record.size, record.recorded_by) == (
        EvidenceKind.POC_REPORT,
        "概念验证报告.pdf",
        sha,
        report.stat().st_size,
        "officer",
    )
    assert (tmp_path / "data" / record.stored_as).read_bytes() == report.read_bytes()
    assert page.events[-1].evidence == frozenset({EvidenceKind.POC_REPORT})
    assert page.state.institution == HOSTS[PILOT]
    (entry,) = seeded.audit_trail().store.in_order()
    assert (entry.event.action, entry.event.username, entry.event.object) == (
        "gate_moved",
        "officer",
        "pipeline_project:P1",
    )


@pytest.mark.parametrize(
    ("request_", "error", "message"),
    [
        ({"to": "incubator"}, TransitionRefused, "cannot be skipped"),
        ({"to": "pilot", "evidence": ()}, TransitionRefused, r"\(poc_report\)"),
        ({"to": "pilot", "trl": 9}, TransitionRefused, "needs TRL 4–7"),
        ({"to": "graduated", "enterprise": GRADUATE}, TransitionRefused, "only a project in"),
        ({"to": "pilot", "institution": HOSTS[INC]}, InvalidInput, "needs a pilot_platform"),
        ({"to": "pilot", "institution": "nowhere"}, NotFound, "no institution nowhere"),
        ({"to": "graduated", "enterprise": "91350200MA2Y0000XX"}, NotFound, "no enterprise"),
        ({"to": "lab"}, InvalidInput, "unknown target 'lab'"),
        ({"project_id": "P9"}, NotFound, "no incubation project P9"),
    ],
)
def test_a_refused_advance_explains_itself_and_writes_nothing(
    seeded: Database, tmp_path: Path, request_: dict[str, object], error: type, message: str
) -> None:
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY, NOW)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"evidence")
    values: dict[str, object] = {
        "project_id": "P1",
        "to": "pilot",
        "by": "officer",
        "on": date(2022, 5, 1),
        "trl": 5,
        "evidence": (EvidenceFile(report),),
    }
    values.update(request_)
    vault = EvidenceVault(tmp_path / "data")
    with pytest.raises(error, match=message):
        _advance(seeded, vault, **values)
    assert _events_and_evidence(seeded) == (len(HISTORY), 0)
    assert not (tmp_path / "data").exists()
    assert list(seeded.audit_trail().store.in_order()) == []


def test_a_missing_evidence_file_is_bad_input_naming_the_file(
    seeded: Database, tmp_path: Path
) -> None:
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY, NOW)
    with pytest.raises(InvalidInput, match="evidence file not found: .*gone.pdf"):
        _advance(
            seeded,
            EvidenceVault(tmp_path),
            project_id="P1",
            to="pilot",
            by="o",
            on=date(2022, 5, 1),
            trl=5,
            evidence=(EvidenceFile(tmp_path / "gone.pdf"),),
        )
    assert _events_and_evidence(seeded) == (len(HISTORY), 0)


def test_derived_states_follow_every_append_and_are_reused_while_the_log_is_unchanged(
    seeded: Database,
) -> None:
    from fourchain.services.pipeline import states

    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY[:1], NOW)
    with seeded.engine.connect() as connection:
        first = states(SqlPipelineStore(connection))
        assert states(SqlPipelineStore(connection)) is first  # unchanged log: reused
    assert first["P1"].stage is RD
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events("P1", HISTORY[1:], NOW)
        inside = states(SqlPipelineStore(connection))  # the transaction sees its own append
    assert inside["P1"].stage is POC
    with seeded.engine.connect() as connection:
        assert states(SqlPipelineStore(connection))["P1"] == derive_state(HISTORY)
