"""Matching in the market: a demand finds achievements, experts and institutions; an
achievement finds enterprises — through one persistent index kept in step with the records,
over only what the viewer may see.

The index holds every record that may ever be matched (all achievements, listed or not;
institutions; experts; enterprises by their public facts only). Before a search it is synced
with the database when a record changed in this process (`touch`) or when the last sync is
older than `max_age` seconds (another process may have written). What a viewer may not see is
excluded at query time (another institution's unlisted achievement) or trimmed from the result
(an expert's affiliation and expertise, for viewers who may see only a name).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass

from fourchain.domain.market import Role, Viewer
from fourchain.domain.matching import NO_FILTERS, Document, DocumentKind, Filters, Match
from fourchain.errors import InvalidInput, NotFound, PermissionDenied
from fourchain.services.market import MarketRecords
from fourchain.services.matching import MODES
from fourchain.services.ports import DocumentSource, MatchingIndex

DEMAND_FINDS = frozenset({DocumentKind.ACHIEVEMENT, DocumentKind.EXPERT, DocumentKind.INSTITUTION})
ACHIEVEMENT_FINDS = frozenset({DocumentKind.ENTERPRISE})
QUERY_FINDS = DEMAND_FINDS | ACHIEVEMENT_FINDS  # what a free-text query may look for
MAX_QUERY_CHARS = 2000
MAX_TOP = 50
# Who sees an expert's affiliation and expertise (the talent chain's review fields); everyone
# else sees the name, and reaches the expert through the bureau.
EXPERT_DETAIL_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_ANALYST, Role.EXPERT})


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
log = logging.getLogger(__name__)


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

    vectors: "none" (not computed), "embedding" (the background job runs: embedded/total),
    "ready", or "failed" (message says why)."""

    documents: int
    vectors: str
    embedded: int = 0
    total: int = 0
    message: str = ""

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
    ) -> None:
        self.records = records
        self.sources = sources
        self.index = index
        self.max_age = max_age
        self.clock = clock
        self._lock = threading.Lock()
        self._synced_at: float | None = None
        self._dirty = False
        self._job: threading.Thread | None = None
        self._refresher: threading.Thread | None = None
        self._progress = (0, 0)
        self._failure = ""

    # ---------------------------------------------------------------- keeping in step
    def touch(self) -> None:
        """Records changed: the next search syncs the index first."""
        self._dirty = True

    def sync(self, progress: Progress | None = None) -> object:
        """Bring the index in step with the records now (builds it the first time)."""
        with self.sources() as source:
            documents = source.all_documents()
        with self._lock:
            report = self.index.sync(documents, progress)
            self._synced_at, self._dirty = self.clock(), False
        return report

    def _fresh(self) -> None:
        """Sync before a search when this process changed records (the user expects to see
        their own change); when the last sync is merely old, search what is there and sync
        in the background (stale while revalidating: a search never waits seconds for it)."""
        if self._dirty or (self._synced_at is None and self.index.size == 0):
            self.sync()  # also the very first build: there is nothing to search before it
        elif self._synced_at is None or self.clock() - self._synced_at > self.max_age:
            with self._lock:
                if self._refresher is not None and self._refresher.is_alive():
                    return
                self._refresher = threading.Thread(target=self._refresh, name="market-sync")
                self._refresher.start()

    def _refresh(self) -> None:
        try:
            self.sync()
        except Exception:  # the next search tries again
            log.exception("a background sync of the market's matching index failed")

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a background sync to finish (tests; a clean shutdown)."""
        refresher = self._refresher
        if refresher is not None:
            refresher.join(timeout)

    # ---------------------------------------------------------------- embeddings
    def status(self) -> MatchingStatus:
        size = self.index.size
        if self._job is not None and self._job.is_alive():
            done, total = self._progress
            return MatchingStatus(size, "embedding", done, total)
        if self.index.has_vectors:
            waiting = self.index.unembedded_kinds
            return MatchingStatus(
                size, "ready", size, size, message=", ".join(sorted(k.value for k in waiting))
            )
        if self._failure:
            return MatchingStatus(size, "failed", message=self._failure)
        return MatchingStatus(size, "none")

    def embed(
        self, progress: Progress | None = None, *, kinds: frozenset[DocumentKind] | None = None
    ) -> int:
        """Compute the vectors still missing (of `kinds` only, when given; resumable); hybrid
        matching works afterwards for the kinds that have them."""
        self._fresh()
        return self.index.embed(progress, kinds=kinds)

    def start_embedding(self, viewer: Viewer) -> bool:
        """Run `embed` in a background thread (bureau administrators only). False when a job
        already runs or the vectors are there."""
        if viewer.role is not Role.BUREAU_ADMIN:
            raise PermissionDenied("只有科技局管理员可以计算语义向量 (bureau administrators only)")
        with self._lock:
            running = self._job is not None and self._job.is_alive()
            if running or (self.index.has_vectors and not self.index.unembedded_kinds):
                return False
            self._failure, self._progress = "", (0, 0)
            self._job = threading.Thread(target=self._run_job, name="market-embedding")
            self._job.start()
            return True

    def _run_job(self) -> None:
        def report(done: int, total: int) -> None:
            self._progress = (done, total)

        try:
            self.embed(report)
        except Exception as error:  # the page shows it; the worker thread must not die silently
            log.exception("the market's embedding job failed")
            self._failure = f"{type(error).__name__}: {error}"

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
        waiting = self.index.unembedded_kinds if chosen != "bm25" else frozenset()
        hidden: set[str] = set()
        if DocumentKind.ACHIEVEMENT in kinds:
            with self.sources() as source:
                hidden = source.hidden_achievements(viewer)
        matches: list[tuple[Match, Document]] = []
        # One list per kind: a short expert profile would otherwise always rank below a long
        # achievement abstract, and the user asked for each kind of partner.
        for kind in sorted(kinds, key=list(DocumentKind).index):
            matches += self.index.search(
                text,
                kinds=frozenset({kind}),
                exclude=frozenset(hidden),
                top=top,
                # A kind still waiting for its vectors (the enterprises, while their
                # background job runs) is searched by BM25 alone.
                mode="bm25" if kind in waiting else chosen,
                filters=filters_for(kind, filters),
            )
        return [self._found(viewer, match, document) for match, document in matches]

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
        text = f"{demand.problem}\n{demand.description}\n{demand.field}"
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
        text = f"{achievement.title}\n{achievement.abstract}\n{'；'.join(achievement.keywords)}"
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
