"""Advancing an incubation project on the in-memory store and vault (no database, no data
folder): the gate decides first, and a refused or failed move leaves neither rows nor files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from fourchain.domain.pipeline import (
    EventKind,
    EvidenceKind,
    IncubationStage,
    PipelineEvent,
    Project,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, TransitionRefused
from fourchain.services.pipeline import Advance, EvidenceFile, advance
from tests.fakes.audit import fake_trail
from tests.fakes.pipeline import FakePipelineStore, FakeVault

DAY = date(2024, 3, 1)
NOW = datetime(2024, 3, 1, 9, 30)
ID = "P-0001"


@pytest.fixture
def store() -> FakePipelineStore:
    found = FakePipelineStore(
        institutions={
            "poc-1": ("概念验证中心", "proof_of_concept_centre"),
            "inc-1": ("孵化器", "incubator"),
        },
        enterprises={"91350200MA00000011"},
    )
    entered = PipelineEvent(
        EventKind.ENTERED_STAGE,
        date(2023, 1, 1),
        "officer",
        stage=IncubationStage.RD_INSTITUTION,
        trl=2,
    )
    found.add(Project(ID, "钙钛矿电池", date(2023, 1, 1), "officer"), entered)
    return found


@pytest.fixture
def disclosure(tmp_path: Path) -> Path:
    path = tmp_path / "披露.pdf"
    path.write_bytes(b"%PDF disclosure")
    return path


def _to_poc(path: Path, **kw: object) -> Advance:
    files = (EvidenceFile(path, EvidenceKind.DISCLOSURE),)
    return Advance(ID, "proof_of_concept", "officer", DAY, 4, files, **kw)  # type: ignore[arg-type]


def test_a_move_through_the_gate_records_the_event_and_keeps_its_evidence(
    store: FakePipelineStore, disclosure: Path
) -> None:
    vault, trail = FakeVault(), fake_trail()
    state = advance(store, vault, _to_poc(disclosure, institution="poc-1"), NOW, trail)
    assert state.stage is IncubationStage.PROOF_OF_CONCEPT
    (entry,) = trail.store.in_order()  # the move is audited, once
    assert ID in entry.event.object
    assert [e.stage for e in store.events(ID)][-1] is IncubationStage.PROOF_OF_CONCEPT
    (record,) = store.evidence(ID)
    assert record.kind is EvidenceKind.DISCLOSURE and record.file_name == "披露.pdf"
    assert vault.files[record.stored_as] == b"%PDF disclosure"


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (Advance(ID, "proof_of_concept", "officer", DAY, 4), TransitionRefused),  # no disclosure
        (Advance(ID, "pilot", "officer", DAY, 5), TransitionRefused),  # skips a stage
        (Advance("P-9999", "proof_of_concept", "officer", DAY, 4), NotFound),
    ],
)
def test_a_refused_move_writes_neither_events_nor_files(
    store: FakePipelineStore, request_: Advance, error: type[Exception]
) -> None:
    vault = FakeVault()
    before = store.log_version()
    with pytest.raises(error):
        advance(store, vault, request_, NOW, fake_trail())
    assert store.log_version() == before and vault.files == {}


def test_a_withdrawn_project_is_not_moved_and_nothing_is_kept(
    store: FakePipelineStore, disclosure: Path
) -> None:
    store.withdrawn[ID] = date(2025, 1, 2)
    vault, trail = FakeVault(), fake_trail()
    before = store.log_version()
    with pytest.raises(Conflict, match="withdrawn on 2025-01-02"):
        advance(store, vault, _to_poc(disclosure, institution="poc-1"), NOW, trail)
    assert store.log_version() == before and vault.files == {}
    assert list(trail.store.in_order()) == []


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"institution": "inc-1"}, InvalidInput),  # an incubator cannot host proof of concept
        ({"institution": "nowhere"}, NotFound),
        ({"enterprise": "91350200MA99999999"}, NotFound),
    ],
)
def test_a_move_naming_a_wrong_or_missing_host_is_refused_before_anything_is_kept(
    store: FakePipelineStore, disclosure: Path, extra: dict[str, str], error: type[Exception]
) -> None:
    vault = FakeVault()
    with pytest.raises(error):
        advance(store, vault, _to_poc(disclosure, **extra), NOW, fake_trail())
    assert vault.files == {} and store.evidence(ID) == []


def test_a_failed_write_discards_the_files_it_kept(
    store: FakePipelineStore, disclosure: Path
) -> None:
    vault = FakeVault()
    store.fail_on_append = ConnectionError("the database went away")
    with pytest.raises(ConnectionError):
        advance(store, vault, _to_poc(disclosure), NOW, fake_trail())
    assert vault.files == {} and store.evidence(ID) == []
