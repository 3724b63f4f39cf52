"""Matching through the real engine (BM25) and its persistent index on both backends: a demand
finds the achievement, expert and institution that answer it, an achievement finds the
enterprise that asked publicly, nothing the viewer may not see is searched or shown, and the
index follows the records (new, changed, removed) without a rebuild."""

from __future__ import annotations

import threading
import time
import warnings
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, update

from fourchain.adapters.db.market_documents import document_sources
from fourchain.adapters.db.tables import enterprises
from fourchain.adapters.db.tables_pipeline import people
from fourchain.bootstrap import Database
from fourchain.bootstrap.jobs import build_jobs
from fourchain.config import Settings
from fourchain.domain.market import Achievement, Demand, IPStatus, TransferMode
from fourchain.domain.matching import DocumentKind, Filters
from fourchain.errors import Busy, InvalidInput, NotFound, PermissionDenied
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from fourchain.services.market_matching import PAGE_TOP, MarketMatching, MatchingStatus
from tests.integration.jobs.worker import running_worker
from tests.integration.market.parties import ADMIN, ENT_A, ENT_B, PUBLIC, USER_A, USER_XMU

with warnings.catch_warnings():  # jieba warns on import; warnings are errors in tests
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.adapters.search.hybrid import HybridSearcher
    from fourchain.adapters.search.market_index import PersistentMarketIndex

Market = tuple[MarketRecords, ChallengeDesk]
DAY = date(2025, 3, 1)
BASE = Achievement(
    institution_id="XMU",
    title="钙钛矿叠层太阳能电池",
    abstract="钙钛矿与晶硅叠层的太阳能电池制备方法，光电转换效率高。",
    keywords=("钙钛矿", "太阳能电池"),
    trl=5,
    ip_status=IPStatus.NONE,
    transfer_modes=(TransferMode.LICENCE,),
    contact="电话",
    published=DAY,
    discipline="材料",
)


def _demand(owner: str, problem: str, confidential: bool) -> Demand:
    return Demand(owner, problem, problem, "新能源", 1e5, DAY, DAY, confidential)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def matching(
    market: Market, database: Database, tmp_path: Path, clock: Clock
) -> tuple[MarketMatching, dict[str, int]]:
    records, _ = market
    ids = {
        "solar": records.publish_achievement(USER_XMU, BASE),
        "hidden_solar": records.publish_achievement(
            USER_XMU, replace(BASE, title="未上架的钙钛矿电池", listed=False)
        ),
        "drug": records.publish_achievement(
            USER_XMU,
            replace(
                BASE, title="抗体药物偶联", abstract="抗体偶联药物的制备。", keywords=("抗体",)
            ),
        ),
        "public_need": records.publish_demand(
            USER_A, _demand(ENT_A.id, "钙钛矿电池效率提升", False)
        ),
        "secret_need": records.publish_demand(
            ADMIN, _demand(ENT_B.id, "钙钛矿太阳能电池量产", True)
        ),
    }
    with database.engine.begin() as connection:
        connection.execute(update(enterprises).values(main_product="电子元器件"))
        connection.execute(
            insert(people),
            [
                {
                    "id": "P1",
                    "name": "林光伏",
                    "affiliation": "XMU",
                    "expertise": "钙钛矿太阳能电池",
                },
                {"id": "P2", "name": "陈药", "affiliation": "JML", "expertise": "抗体偶联药物"},
            ],
        )
    index = PersistentMarketIndex(tmp_path / "market-index")
    engine = MarketMatching(
        records, document_sources(database.engine), index, max_age=60, clock=clock
    )
    return engine, ids


def test_a_demand_finds_the_achievement_that_answers_it_but_never_an_unlisted_one(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    found = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    achievements = [f.id for f in found if f.kind is DocumentKind.ACHIEVEMENT]
    assert achievements[0] == str(ids["solar"])
    assert {"钙钛矿", "电池"} <= set(found[0].terms)
    assert {"title", "abstract"} <= set(found[0].fields)
    experts = [f for f in found if f.kind is DocumentKind.EXPERT]
    assert [e.id for e in experts][:1] == ["P1"]
    # The public sees an expert's name only: no affiliation, no expertise, no terms from them.
    assert experts[0].title == "林光伏"
    assert experts[0].detail == "" and experts[0].terms == () and experts[0].fields == ()
    institutions = [f for f in found if f.kind is DocumentKind.INSTITUTION]
    assert institutions, "a demand also finds institutions"
    assert str(ids["hidden_solar"]) not in achievements
    # The owner institution's own unlisted result is searched for its own users and the bureau.
    own = engine.for_demand(USER_XMU, ids["public_need"], top=5)
    assert str(ids["hidden_solar"]) in {f.id for f in own}


def test_a_confidential_demand_is_matched_only_for_its_enterprise_and_the_bureau(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    with pytest.raises(NotFound):
        engine.for_demand(PUBLIC, ids["secret_need"])
    with pytest.raises(NotFound):
        engine.for_demand(USER_A, ids["secret_need"])
    assert engine.for_demand(ADMIN, ids["secret_need"])


def test_an_achievement_finds_enterprises_by_their_public_demands_only(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    found = engine.for_achievement(PUBLIC, ids["solar"], top=5)
    assert [f.id for f in found][:1] == [ENT_A.id]
    # Enterprise B asked only in confidence: its secret must not make it a match.
    assert ENT_B.id not in {f.id for f in found}
    with pytest.raises(InvalidInput, match="mode"):
        engine.for_achievement(PUBLIC, ids["solar"], mode="psychic")


def test_the_bureau_sees_what_an_expert_knows_and_where_they_work(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    [expert, *_] = [
        f
        for f in engine.for_demand(ADMIN, ids["public_need"], top=5)
        if f.kind is DocumentKind.EXPERT
    ]
    assert expert.id == "P1"
    assert "钙钛矿太阳能电池" in expert.detail and "厦门大学" in expert.detail
    assert "钙钛矿" in expert.terms


def test_the_index_follows_new_changed_and_removed_records_without_a_rebuild(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    clock: Clock,
) -> None:
    engine, ids = matching
    records, _ = market
    engine.for_demand(PUBLIC, ids["public_need"])  # builds the index
    built = engine.index.size
    # A new achievement published in this process: touch() makes the next search see it.
    fresh = records.publish_achievement(
        USER_XMU, replace(BASE, title="钙钛矿电池效率提升新工艺", abstract="提升钙钛矿电池效率。")
    )
    engine.touch()
    found = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    assert str(fresh) in {f.id for f in found if f.kind is DocumentKind.ACHIEVEMENT}
    assert engine.index.size == built + 1
    # A change written by another process (no touch): seen once the last sync is old enough.
    with database.engine.begin() as connection:
        connection.execute(delete(people).where(people.c.id == "P1"))
    found = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    assert "P1" in {f.id for f in found}, "within max_age the index is not re-read"
    clock.now += 61  # without a job runner (the CLI, the worker) it syncs in place
    found = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    assert "P1" not in {f.id for f in found}
    assert engine.index.size == built


def test_the_index_persists_and_another_process_reopens_it(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    tmp_path: Path,
) -> None:
    engine, ids = matching
    first = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    records, _ = market
    reopened = MarketMatching(
        records, document_sources(database.engine), PersistentMarketIndex(tmp_path / "market-index")
    )
    report = reopened.sync()
    assert report.touched == 0, "an unchanged database changes nothing on reopen"
    assert reopened.for_demand(PUBLIC, ids["public_need"], top=5) == first
    status = reopened.status()
    assert (status.documents, status.vectors, status.modes) == (
        engine.index.size,
        "none",
        ("bm25",),
    )
    with pytest.raises(InvalidInput, match="embeddings"):
        reopened.for_demand(PUBLIC, ids["public_need"], mode="hybrid")
    with pytest.raises(PermissionDenied):
        reopened.start_embedding(USER_XMU)


def test_a_kept_answer_is_dropped_once_another_process_publishes_a_new_index(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    tmp_path: Path,
) -> None:
    engine, ids = matching
    first = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    assert engine.for_demand(PUBLIC, ids["public_need"], top=5) == first  # kept
    assert "P1" in {f.id for f in first}
    with database.engine.begin() as connection:
        connection.execute(delete(people).where(people.c.id == "P1"))
    records, _ = market
    other = MarketMatching(
        records, document_sources(database.engine), PersistentMarketIndex(tmp_path / "market-index")
    )
    assert other.sync().touched == 1  # published as the next generation
    assert "P1" not in {f.id for f in engine.for_demand(PUBLIC, ids["public_need"], top=5)}


def test_filters_apply_to_the_kinds_they_make_sense_for(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    mature = engine.for_demand(PUBLIC, ids["public_need"], top=5, filters=Filters(trl_min=6))
    # The TRL 5 solar cell is dropped; experts and institutions have no TRL and stay.
    assert not [f for f in mature if f.kind is DocumentKind.ACHIEVEMENT]
    assert {f.kind for f in mature} == {DocumentKind.EXPERT, DocumentKind.INSTITUTION}
    early = engine.for_demand(PUBLIC, ids["public_need"], top=5, filters=Filters(trl_max=5))
    assert str(ids["solar"]) in {f.id for f in early}


def test_the_embedding_job_embeds_every_record_in_the_worker_and_turns_hybrid_matching_on(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    tmp_path: Path,
) -> None:
    engine, ids = matching
    engine.sync()
    records, _ = market
    settings = Settings(fourchain_data_dir=tmp_path / "data")
    web = MarketMatching(
        records,
        document_sources(database.engine),
        PersistentMarketIndex(tmp_path / "market-index"),
        jobs=build_jobs(database, settings).jobs,
    )
    assert web.status().vectors == "none"
    with running_worker(database, settings, matching=lambda: engine):
        assert web.start_embedding(ADMIN, "admin")
        assert not web.start_embedding(ADMIN, "admin"), "one embedding job at a time"
        deadline = time.monotonic() + 300
        while web.status().vectors == "embedding":
            assert time.monotonic() < deadline
            time.sleep(0.1)
    status = web.status()
    assert (status.vectors, status.modes) == ("ready", ("bm25", "dense", "hybrid")), status
    assert not web.start_embedding(ADMIN), "nothing left to embed"
    # Hybrid is now the default: each match carries both retrievers' scores.
    found = engine.for_demand(PUBLIC, ids["public_need"], top=3)
    assert found[0].id == str(ids["solar"]) and found[0].cosine is not None
    # A record published afterwards is embedded on its own when the index syncs.
    fresh = records.publish_achievement(
        USER_XMU, replace(BASE, title="抗体药物的连续流生产", abstract="抗体药物连续生产工艺。")
    )
    engine.touch()
    dense = engine.for_demand(ADMIN, ids["public_need"], top=10, mode="dense")
    assert str(fresh) in {f.id for f in dense if f.kind is DocumentKind.ACHIEVEMENT}
    assert all(f.cosine is not None for f in dense)


def test_the_status_answers_while_the_index_is_being_written(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, _ = matching
    engine.sync()
    index = engine.index
    assert isinstance(index, PersistentMarketIndex)
    size = index.size
    busy = threading.Event()
    release = threading.Event()

    def hold() -> None:  # a long sync or build holds the index's lock
        with index._lock:
            busy.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    busy.wait(30)
    answers: list[object] = []
    asking = threading.Thread(target=lambda: answers.append(engine.status()))
    try:
        asking.start()
        asking.join(5)  # answers from what it last saw, without waiting for the lock
        assert not asking.is_alive(), "the status waited for the index's writer"
        [status] = answers
        assert isinstance(status, MatchingStatus)
        assert (status.documents, status.vectors) == (size, "none")
    finally:
        release.set()
        holder.join()
        asking.join()


class _LockedJobs:
    """The job store while a long import holds the database: queuing raises Busy (what the
    database adapter raises then — tests/integration/db/test_busy.py)."""

    def __init__(self) -> None:
        self.asked = 0

    def submit(self, kind: str, account: str = "", params: object = None, **_: object) -> Any:
        self.asked += 1
        raise Busy("the database is busy with another writer; try again shortly")

    def latest_of(self, *kinds: str) -> dict[str, Any]:
        return {}


def test_a_match_answers_from_the_saved_index_when_a_refresh_cannot_be_queued(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    tmp_path: Path,
    clock: Clock,
) -> None:
    engine, ids = matching
    engine.sync()
    records, _ = market
    locked = _LockedJobs()
    web = MarketMatching(
        records,
        document_sources(database.engine),
        PersistentMarketIndex(tmp_path / "market-index"),
        max_age=60,
        clock=clock,
        jobs=locked,  # type: ignore[arg-type]
    )
    found = web.for_demand(PUBLIC, ids["public_need"], top=5)  # a 500 before
    assert found[0].id == str(ids["solar"]) and locked.asked == 1
    web.for_demand(PUBLIC, ids["public_need"], top=5)
    assert locked.asked == 1, "not asked again on every request: once per max_age"
    clock.now += 61
    web.for_demand(PUBLIC, ids["public_need"], top=5)
    assert locked.asked == 2


def _reopened(market: Market, database: Database, tmp_path: Path) -> MarketMatching:
    """The same index as another process (the web server beside the worker) opens it."""
    records, _ = market
    return MarketMatching(
        records, document_sources(database.engine), PersistentMarketIndex(tmp_path / "market-index")
    )


def _asked(engine: MarketMatching, ids: dict[str, int]) -> list[object]:
    """Every matches page of the fixture's records, for the bureau and for the public."""
    return [
        [f.as_json() for f in engine.for_demand(viewer, ids["public_need"], top=PAGE_TOP)]
        for viewer in (ADMIN, PUBLIC)
    ] + [
        [f.as_json() for f in engine.for_achievement(viewer, ids[name], top=PAGE_TOP)]
        for viewer in (ADMIN, PUBLIC)
        for name in ("solar", "drug")
    ]


def test_answers_kept_ahead_are_the_answers_a_search_gives_and_are_read_not_searched(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, ids = matching
    searched = _asked(engine, ids)
    # Live demands (2) × 3 kinds of partner + live achievements (3) × enterprises.
    assert engine.warm() == 2 * 3 + 3 * 1
    calls: list[str] = []
    real = HybridSearcher.search_with

    def counted(self: HybridSearcher, request: Any, vector: Any) -> Any:
        calls.append(request.text)
        return real(self, request, vector)

    monkeypatch.setattr(HybridSearcher, "search_with", counted)
    web = _reopened(market, database, tmp_path)
    assert _asked(web, ids) == searched
    # The bureau's pages were all read; the public's demand page searched afresh, since
    # an unlisted achievement the public may not see is in the index (nothing else).
    assert len(calls) == 1
    assert engine.warm() == 9 and len(calls) == 1, "a generation is answered once"


def test_a_new_generation_is_never_answered_from_the_last_ones_kept_answers(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
) -> None:
    engine, ids = matching
    records, _ = market
    engine.warm()
    fresh = records.publish_achievement(
        USER_XMU, replace(BASE, title="钙钛矿电池效率提升新工艺", abstract="提升钙钛矿电池效率。")
    )
    engine.touch()
    found = engine.for_demand(ADMIN, ids["public_need"], top=PAGE_TOP)
    assert str(fresh) in {f.id for f in found if f.kind is DocumentKind.ACHIEVEMENT}
    # Withdrawn, it leaves the answer at once, kept answers or not.
    engine.warm()
    records.withdraw_achievement(USER_XMU, fresh)
    found = engine.for_demand(ADMIN, ids["public_need"], top=PAGE_TOP)
    assert str(fresh) not in {f.id for f in found}


def test_each_generation_loaded_is_announced_once_not_on_every_search(
    matching: tuple[MarketMatching, dict[str, int]],
    market: Market,
    database: Database,
    tmp_path: Path,
) -> None:
    """A serving process settles its heap after each load (bootstrap.serving.settle_heap):
    once per generation, never per search."""
    engine, ids = matching
    engine.for_demand(PUBLIC, ids["public_need"], top=5)  # built and published
    loads: list[int] = []
    records, _ = market
    index = PersistentMarketIndex(tmp_path / "market-index", after_load=lambda: loads.append(1))
    reopened = MarketMatching(records, document_sources(database.engine), index)
    for _ in range(3):
        reopened.for_demand(PUBLIC, ids["public_need"], top=5)
    assert len(loads) == 1
    with database.engine.begin() as connection:
        connection.execute(delete(people).where(people.c.id == "P1"))
    assert engine.sync().touched == 1  # another instance publishes the next generation
    found = reopened.for_demand(PUBLIC, ids["public_need"], top=5)
    assert "P1" not in {f.id for f in found}
    assert len(loads) == 2
