"""Matching in the market: a demand finds achievements, experts and institutions; an
achievement finds enterprises — through one persistent index kept in step with the records,
over only what the viewer may see.

The index holds every record that may ever be matched (all achievements, listed or not;
institutions; experts; enterprises by their public facts only). It is kept in step with the
database when a record changed (`touch`) or when the last sync is older than `max_age` seconds
(another process may have written). With a job runner (the web app) that is never done inside
a request: a search answers from the saved index and a deduplicated index sync is queued for
the job worker, which also computes the embeddings. Without one (the CLI, the worker itself)
the service syncs in place before it searches. What a viewer may not see is excluded at query
time (another institution's unlisted achievement) or trimmed from the result (an expert's
affiliation and expertise, for viewers who may see only a name).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass

from fourchain.domain.accounts import Role
from fourchain.domain.jobs import JobStatus
from fourchain.domain.market import Viewer
from fourchain.domain.matching import (
    NO_FILTERS,
    AnswerRequest,
    Document,
    DocumentKind,
    Filters,
    Match,
    achievement_query,
    demand_query,
)
from fourchain.errors import Busy, Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.jobs import MARKET_EMBEDDING, MARKET_INDEX_SYNC, Submitted
from fourchain.services.market import MarketRecords
from fourchain.services.matching import MODES
from fourchain.services.ports import BackgroundJobs, DocumentSource, MatchingIndex

log = logging.getLogger(__name__)

DEMAND_FINDS = frozenset({DocumentKind.ACHIEVEMENT, DocumentKind.EXPERT, DocumentKind.INSTITUTION})
ACHIEVEMENT_FINDS = frozenset({DocumentKind.ENTERPRISE})
QUERY_FINDS = DEMAND_FINDS | ACHIEVEMENT_FINDS  # what a free-text query may look for
# Rows of each kind on a record's matches page (achievements, experts, institutions;
# enterprises): the answers the worker computes ahead are of this length.
PAGE_TOP = 5
# The record kinds (import kinds) the index is made of (adapters/db/market_documents): an
# import of one of them syncs the index as a write in the browser does.
INDEXED_KINDS = frozenset({"achievements", "institutions", "people", "enterprises"})
MAX_QUERY_CHARS = 2000
MAX_TOP = 50
# Who sees an expert's affiliation and expertise (the talent chain's review fields); everyone
# else sees the name, and reaches the expert through the bureau.
EXPERT_DETAIL_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER})


def filters_for(kind: DocumentKind, filters: Filters) -> Filters:
    """The part of the user's filters that applies to records of `kind`: TRL and IP status to
    achievements, district to institutions and enterprises, field to all but experts (whose
    records carry no attributes). A filter that cannot apply to a kind does not empty it."""
    if kind is DocumentKind.ACHIEVEMENT:
        return Filters(
            fields=filters.fields,
            trl_min=filters.trl_min,
            trl_max=filters.trl_max,
            ip_statuses=filters.ip_statuses,
        )
    if kind in (DocumentKind.INSTITUTION, DocumentKind.ENTERPRISE):
        return Filters(fields=filters.fields, districts=filters.districts)
    return NO_FILTERS


Progress = Callable[[int, int], None]


Sources = Callable[[], AbstractContextManager[DocumentSource]]


@dataclass(frozen=True)
class Found:
    """One record a search found, as far as the viewer may see it.

    `id` is the record's own key (achievement or institution id, credit code, person id);
    `terms` the query's terms found in the record's visible fields, `fields` which of those
    fields (title, abstract, keywords, expertise, products, …); `detail` one line to show
    under the title; `bm25`/`cosine` the two retrievers' scores (None: not computed);
    `relevance` the calibrated 0–100 relevance; `duplicates` the keys of near-duplicate
    records of the same kind collapsed under this one."""

    kind: DocumentKind
    id: str
    title: str
    score: float
    rank: int
    terms: tuple[str, ...] = ()
    bm25: float | None = None
    cosine: float | None = None
    detail: str = ""
    fields: tuple[str, ...] = ()  # the visible fields the terms were found in (title, …)
    relevance: float | None = None
    duplicates: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "rank": self.rank,
            "terms": list(self.terms),
            "bm25": self.bm25,
            "cosine": self.cosine,
            "detail": self.detail,
            "fields": list(self.fields),
            "relevance": None if self.relevance is None else round(self.relevance, 1),
            "duplicates": list(self.duplicates),
        }


@dataclass(frozen=True)
class MatchingStatus:
    """What the index holds and whether semantic (hybrid) matching is available yet.

    vectors: "none" (not computed), "embedding" (the job is queued or runs: embedded/total),
    "ready", or "failed" (message says why); syncing: an index sync is queued or runs."""

    documents: int
    vectors: str
    embedded: int = 0
    total: int = 0
    message: str = ""
    syncing: bool = False

    @property
    def modes(self) -> tuple[str, ...]:
        return MODES if self.vectors == "ready" else ("bm25",)


class MarketMatching:
    def __init__(
        self,
        records: MarketRecords,
        sources: Sources,
        index: MatchingIndex,
        *,
        max_age: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        jobs: BackgroundJobs | None = None,
    ) -> None:
        self.records = records
        self.sources = sources
        self.index = index
        self.max_age = max_age
        self.clock = clock
        self.jobs = jobs
        self._lock = threading.Lock()
        self._synced_at: float | None = None  # in place, or (with jobs) when one was queued
        self._dirty = False

    # ---------------------------------------------------------------- keeping in step
    def touch(self) -> None:
        """Records changed: with a job runner, queue an index sync now; else the next search
        syncs first."""
        if self.jobs is not None:
            self.request_sync()
        else:
            self._dirty = True

    def request_sync(self) -> Submitted:
        """Queue an index sync for the job worker (one waits at most: a second request while
        one waits returns that one)."""
        assert self.jobs is not None, "request_sync needs a job runner"
        self._synced_at = self.clock()
        return self.jobs.submit(MARKET_INDEX_SYNC, pending_key=MARKET_INDEX_SYNC)

    def sync(self, progress: Progress | None = None) -> object:
        """Bring the index in step with the records now (builds it the first time)."""
        with self.sources() as source:
            documents = source.all_documents()
        with self._lock:
            report = self.index.sync(documents, progress)
            self._synced_at, self._dirty = self.clock(), False
        return report

    def _fresh(self, in_place: bool = False) -> None:
        """Before a search. With a job runner: queue a sync when none was asked for within
        `max_age` (the search answers from the saved index meanwhile). Without one, or
        in_place (the worker's and the CLI's own work): sync in place when records changed in
        this process, the index was never built or is old."""
        stale = self._synced_at is None or self.clock() - self._synced_at > self.max_age
        if self.jobs is not None and not in_place:
            if stale:
                try:
                    self.request_sync()
                except Busy:
                    # A long write holds the database: the search answers from the saved
                    # index; the next request after max_age asks again.
                    log.warning("index sync not queued: the database is busy; will ask again")
        elif self._dirty or stale or self.index.size == 0:
            self.sync()

    # ---------------------------------------------------------------- embeddings
    def status(self) -> MatchingStatus:
        size = self.index.size
        job, sync = None, None
        if self.jobs is not None:
            latest = self.jobs.latest_of(MARKET_EMBEDDING, MARKET_INDEX_SYNC)
            job, sync = latest.get(MARKET_EMBEDDING), latest.get(MARKET_INDEX_SYNC)
        syncing = sync is not None and sync.active
        if job is not None and job.active:
            return MatchingStatus(size, "embedding", job.done, job.total, syncing=syncing)
        if self.index.has_vectors:
            # the kinds still waiting for their vectors (searched by BM25 alone meanwhile)
            waiting = ", ".join(sorted(k.value for k in self.index.unembedded_kinds))
            return MatchingStatus(size, "ready", size, size, message=waiting, syncing=syncing)
        if job is not None and job.status is JobStatus.FAILED:
            return MatchingStatus(size, "failed", message=job.message, syncing=syncing)
        return MatchingStatus(size, "none", syncing=syncing)

    def embed(
        self, progress: Progress | None = None, *, kinds: frozenset[DocumentKind] | None = None
    ) -> int:
        """Compute the vectors still missing (of `kinds` only, when given; resumable), in place
        (the CLI's command, the demo's build, the worker's job); hybrid matching works
        afterwards for the kinds that have them."""
        self._fresh(in_place=True)
        return self.index.embed(progress, kinds=kinds)

    def start_embedding(self, viewer: Viewer, account: str = "") -> bool:
        """Queue the embedding job for the worker (bureau administrators only; `account` is
        recorded as who started it). False when one is queued or runs, or the vectors are
        there."""
        if viewer.role is not Role.BUREAU_ADMIN:
            raise PermissionDenied("只有科技局管理员可以计算语义向量 (bureau administrators only)")
        if self.jobs is None:
            raise InvalidInput("no job runner: run `fourchain market index --embed` instead")
        if self.index.has_vectors and not self.index.unembedded_kinds:
            return False
        try:
            self.jobs.submit(MARKET_EMBEDDING, account, exclusive=True)
        except Conflict:
            return False
        return True

    # ---------------------------------------------------------------- searching
    def _mode(self, mode: str | None) -> str:
        if mode is None:
            return "hybrid" if self.index.has_vectors else "bm25"
        if mode not in MODES:
            raise InvalidInput(f"mode: 须为 {', '.join(MODES)} (must be one of them, got {mode!r})")
        if mode != "bm25" and not self.index.has_vectors:
            raise InvalidInput(
                f"mode {mode}: 语义向量尚未计算 (the records have no embeddings yet; "
                "run `fourchain market index --embed` or start it on the market page)"
            )
        return mode

    def _search(
        self,
        viewer: Viewer,
        text: str,
        kinds: frozenset[DocumentKind],
        top: int,
        mode: str | None,
        filters: Filters,
    ) -> list[Found]:
        chosen = self._mode(mode)
        self._fresh()
        if self.jobs is not None and self.index.size == 0:
            return []  # never built yet: the queued sync builds it
        hidden: set[str] = set()
        if DocumentKind.ACHIEVEMENT in kinds:
            with self.sources() as source:
                hidden = source.hidden_achievements(viewer)
        matches: list[tuple[Match, Document]] = []
        # One list per kind: a short expert profile would otherwise always rank below a long
        # achievement abstract, and the user asked for each kind of partner.
        for kind, mode_of_kind in self._modes_per_kind(kinds, chosen):
            matches += self.index.search(
                text,
                kinds=frozenset({kind}),
                exclude=frozenset(hidden),
                top=top,
                mode=mode_of_kind,
                filters=filters_for(kind, filters),
            )
        return [self._found(viewer, match, document) for match, document in matches]

    def _modes_per_kind(
        self, kinds: frozenset[DocumentKind], chosen: str
    ) -> list[tuple[DocumentKind, str]]:
        """Each kind in the market's order with the mode it is searched in: a kind still
        waiting for its vectors (the enterprises, while their background job runs) is
        searched by BM25 alone."""
        waiting = self.index.unembedded_kinds if chosen != "bm25" else frozenset()
        return [
            (kind, "bm25" if kind in waiting else chosen)
            for kind in sorted(kinds, key=list(DocumentKind).index)
        ]

    def warm(self, progress: Progress | None = None) -> int:
        """Answer every live demand's and achievement's matches page ahead, as the page asks
        (its default mode, no filters, PAGE_TOP of each kind), and keep the answers with the
        index's current generation: a page then reads its answer instead of searching. The
        worker's work after each sync and embedding (the CLI's and the demo build's too);
        the next generation is answered afresh. Returns how many answers were kept."""
        if self.index.size == 0:
            return 0
        with self.sources() as source:
            queries = source.match_queries()
        chosen = self._mode(None)
        requests = [
            AnswerRequest(text, kind, PAGE_TOP, mode)
            for side, text in queries
            for kind, mode in self._modes_per_kind(
                DEMAND_FINDS if side is DocumentKind.DEMAND else ACHIEVEMENT_FINDS, chosen
            )
        ]
        return self.index.keep_answers(requests, progress)

    def _found(self, viewer: Viewer, match: Match, document: Document) -> Found:
        fields = dict(document.fields)
        if document.kind is DocumentKind.EXPERT and viewer.role not in EXPERT_DETAIL_ROLES:
            fields = {"title": fields.get("title", "")}
        terms = _visible_terms(match.explanation.terms, fields)
        matched = tuple(
            name for name, found in match.explanation.terms.items() if found and name in fields
        )
        return Found(
            kind=document.kind,
            id=match.id.split(":", 1)[1],
            title=fields.get("title", match.id),
            score=match.score,
            rank=match.rank,
            terms=terms,
            bm25=match.explanation.bm25,
            cosine=match.explanation.cosine,
            detail=_detail(document, fields),
            fields=matched,
            relevance=match.relevance,
            duplicates=tuple(d.split(":", 1)[1] for d in match.duplicates),
        )

    def query(
        self,
        viewer: Viewer,
        text: str,
        *,
        kinds: frozenset[DocumentKind] = QUERY_FINDS,
        top: int = 10,
        mode: str | None = None,
        filters: Filters = NO_FILTERS,
    ) -> list[Found]:
        """Free-text search of the market for people and machines: up to `top` records of
        each of `kinds`, ranked within their kind, over what the viewer may see (another
        institution's unlisted achievement is never found; an expert shows only a name to
        viewers who may not see their expertise). An English query finds Chinese records
        once the vectors are there."""
        cleaned = text.strip()
        if not cleaned:
            raise InvalidInput("q: 请输入检索词 (the query text is empty)")
        if len(cleaned) > MAX_QUERY_CHARS:
            raise InvalidInput(
                f"q: 检索词过长 (the query has {len(cleaned)} characters; at most "
                f"{MAX_QUERY_CHARS})"
            )
        unknown = kinds - QUERY_FINDS
        if not kinds or unknown:
            choices = ", ".join(k.value for k in sorted(QUERY_FINDS, key=list(DocumentKind).index))
            raise InvalidInput(f"kind: 须为 {choices} (must be among them)")
        if not 1 <= top <= MAX_TOP:
            raise InvalidInput(f"top: 须在 1–{MAX_TOP} 之间 (must be 1..{MAX_TOP}, got {top})")
        return self._search(viewer, cleaned, kinds, top, mode, filters)

    def for_demand(
        self,
        viewer: Viewer,
        demand_id: int,
        *,
        top: int = 10,
        mode: str | None = None,
        filters: Filters = NO_FILTERS,
    ) -> list[Found]:
        """Achievements, experts and institutions that may solve the demand, up to `top` of
        each kind, ranked within their kind (the viewer must be allowed to see the demand: a
        confidential one is matched only for its enterprise and the bureau). mode None:
        hybrid once the vectors are there, else bm25. `filters` apply per kind (filters_for)."""
        demand, _ = self.records.demand(viewer, demand_id)
        if demand.withdrawn is not None:  # off the market: its matches are gone, for all
            raise NotFound(f"需求 {demand_id} 已撤回 (demand {demand_id} was withdrawn)")
        text = demand_query(demand.problem, demand.description, demand.field)
        return self._search(viewer, text, DEMAND_FINDS, top, mode, filters)

    def for_achievement(
        self,
        viewer: Viewer,
        achievement_id: int,
        *,
        top: int = 10,
        mode: str | None = None,
        filters: Filters = NO_FILTERS,
    ) -> list[Found]:
        """Enterprises that may take the achievement up, judged on their public facts."""
        achievement, _ = self.records.achievement(viewer, achievement_id)
        if achievement.withdrawn is not None:
            raise NotFound(
                f"成果 {achievement_id} 已撤回 (achievement {achievement_id} was withdrawn)"
            )
        text = achievement_query(achievement.title, achievement.abstract, achievement.keywords)
        return self._search(viewer, text, ACHIEVEMENT_FINDS, top, mode, filters)


def _visible_terms(
    terms: Mapping[str, tuple[str, ...]], fields: Mapping[str, str]
) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for name, found in terms.items():
        if name in fields:
            out.update(dict.fromkeys(found))
    return tuple(out)


def _detail(document: Document, fields: Mapping[str, str]) -> str:
    """One line under the title: the fields beyond it that the viewer may see, shortened."""
    parts = [value for name, value in fields.items() if name != "title" and value]
    line = " · ".join(parts)
    return line if len(line) <= 120 else line[:119] + "…"
