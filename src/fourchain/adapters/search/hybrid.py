"""Hybrid search: BM25 and dense candidates fused by a calibrated score combination (or, for
comparison, reciprocal rank), filtered, near-duplicates collapsed, explained."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.bm25 import top_k
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import normalise
from fourchain.domain.matching import (
    NO_FILTERS,
    TARGETS,
    Document,
    Explanation,
    Filters,
    Match,
    reciprocal_rank_fusion,
)
from fourchain.domain.matching.boilerplate import strip_boilerplate
from fourchain.domain.matching.calibration import MODELS
from fourchain.domain.matching.duplicates import DuplicateFilter
from fourchain.domain.matching.fusion import Evidence, QueryKind, fuse, query_kind
from fourchain.errors import InvalidInput

Floats = npt.NDArray[np.float32]
_LATIN = re.compile(r"[0-9a-z\u00c0-\u024f\u0370-\u03ff]+")


class Mode(StrEnum):
    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"


class Fusion(StrEnum):
    CALIBRATED = "calibrated"  # the fitted score combination (fusion.py): the default
    RRF = "rrf"  # reciprocal rank fusion, k = 60: the old hybrid, kept for comparison


@dataclass(frozen=True)
class Request:
    """One search: the text, how many results, which retrievers, which filters."""

    text: str
    top: int = 10
    mode: Mode = Mode.HYBRID
    filters: Filters = NO_FILTERS
    # Each retriever contributes this many candidates to the fusion: enough that a document
    # ranked well by one retriever and poorly by the other still reaches the fused top 10.
    candidates: int = 100
    exclude: frozenset[str] = field(default_factory=frozenset)
    fusion: Fusion = Fusion.CALIBRATED
    # Collapse near-duplicates (same kind, same title or nearly the same text) into the
    # better-ranked one. Off for the batch interface, whose known-item evaluation must see
    # every record.
    collapse: bool = False

    def __post_init__(self) -> None:
        if self.top < 1:
            raise InvalidInput(f"top must be at least 1, got {self.top}")
        if self.candidates < self.top:
            raise InvalidInput("candidates must be at least top")


@dataclass(frozen=True)
class _Ranked:
    slot: int
    score: float
    relevance: float | None


class HybridSearcher:
    """Answers requests against one SearchIndex."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def search(self, request: Request) -> list[Match]:
        return self._search(request, self.query_vector(request))

    def query_vector(self, request: Request) -> Floats | None:
        """The request's query embedding (None when its mode needs none)."""
        vectors = self.query_vectors([request])
        return None if vectors is None else vectors[0]

    def search_with(self, request: Request, vector: Floats | None) -> list[Match]:
        """`search` with the query embedding already computed (`query_vector`): the same text
        searched for several kinds is embedded once."""
        return self._search(request, vector)

    def search_many(self, requests: Sequence[Request]) -> list[list[Match]]:
        """Many requests; their query embeddings are computed in one batch."""
        vectors = self.query_vectors(requests)
        return [
            self._search(request, None if vectors is None else vectors[i])
            for i, request in enumerate(requests)
        ]

    def match_document(
        self, document: Document, *, top: int = 10, mode: Mode = Mode.HYBRID
    ) -> list[Match]:
        """The other side of the market for a record: a demand finds achievements, experts
        and institutions; an achievement finds enterprises whose profile suggests a need."""
        filters = Filters(kinds=frozenset(TARGETS[document.kind]))
        request = Request(
            document.text, top=top, mode=mode, filters=filters, exclude=frozenset({document.id})
        )
        return self.search(request)

    def query_vectors(self, requests: Sequence[Request]) -> Floats | None:
        """The requests' query embeddings in one batch (None when no mode needs one)."""
        if all(request.mode is Mode.BM25 for request in requests):
            return None
        if self.index.embedder is None or not self.index.has_vectors:
            raise InvalidInput(
                "hybrid and dense search need an index with embeddings (run `market embed`)"
            )
        texts = [strip_boilerplate(request.text) for request in requests]
        return self.index.embedder.embed_queries(texts)

    def _search(self, request: Request, vector: Floats | None) -> list[Match]:
        index = self.index
        text = strip_boilerplate(request.text)
        kind = query_kind(text)
        allowed = index.live_mask(request.filters)
        for doc_id in request.exclude:
            slot = index.slot_of(doc_id)
            if slot is not None:
                allowed[slot] = False
        bag: dict[str, int] = {}
        for token in index.analyzer.analyse(text):
            bag[token] = bag.get(token, 0) + 1
        bm25 = index.bm25_scores(bag)
        bm25_rank: dict[int, int] = {}
        if request.mode is not Mode.DENSE:
            slots = top_k(bm25, request.candidates, allowed).tolist()
            bm25_rank = {slot: rank for rank, slot in enumerate(slots, start=1)}
        dense = vector is not None and request.mode is not Mode.BM25
        cosines: dict[int, float] = {}  # exact cosines: the dense candidates', then others'
        dense_rank: dict[int, int] = {}
        if dense:
            assert vector is not None
            found, sims = index.dense_candidates(vector, request.candidates, allowed)
            cosines = dict(zip(found.tolist(), sims.tolist(), strict=True))
            dense_rank = {slot: rank for rank, slot in enumerate(found.tolist(), start=1)}
            # Every candidate gets both scores: the fusion weighs them, and explanations
            # show them (a dot product for each BM25 candidate the dense side missed).
            missing = [slot for slot in bm25_rank if slot not in cosines]
            if missing:
                cosines.update(
                    zip(missing, index.cosines_of(vector, missing).tolist(), strict=True)
                )
        ranked = self._rank(request, kind, bm25, bm25_rank, cosines, dense_rank)
        return self._matches(request, text, ranked, bm25, bm25_rank, cosines, dense_rank, dense)

    def _rank(
        self,
        request: Request,
        kind: QueryKind,
        bm25: Floats,
        bm25_rank: dict[int, int],
        cosines: dict[int, float],
        dense_rank: dict[int, int],
    ) -> list[_Ranked]:
        """Every candidate, best first, with the mode's score and the 0–100 relevance."""
        if request.mode is Mode.HYBRID and request.fusion is Fusion.RRF:
            lists = [[str(s) for s in ranks] for ranks in (bm25_rank, dense_rank)]
            return [_Ranked(int(key), score, None) for key, score in reciprocal_rank_fusion(lists)]
        if request.mode is Mode.HYBRID:
            pool = {slot: float(bm25[slot]) for slot in cosines}
            scored = fuse(pool, cosines, MODELS[kind, Evidence.HYBRID], self._likeness)
            return [_Ranked(s.key, s.relevance, s.relevance) for s in scored]
        # One retriever: its own order and score; the relevance from its own model.
        if request.mode is Mode.BM25:
            pool = {slot: float(bm25[slot]) for slot in bm25_rank}
            scored = fuse(pool, None, MODELS[kind, Evidence.BM25])
            relevance = {s.key: s.relevance for s in scored}
            return [_Ranked(slot, pool[slot], relevance[slot]) for slot in bm25_rank]
        pool = {slot: float(bm25[slot]) for slot in dense_rank}
        scored = fuse(
            pool, {slot: cosines[slot] for slot in dense_rank}, MODELS[kind, Evidence.DENSE]
        )
        relevance = {s.key: s.relevance for s in scored}
        return [_Ranked(slot, cosines[slot], relevance[slot]) for slot in dense_rank]

    def _likeness(self, slot: int, slots: Sequence[int]) -> dict[int, float]:
        """The cosines of the slots' stored vectors with one slot's (the fusion's feedback)."""
        vector = self.index.vectors_of([slot])[0]
        return dict(zip(slots, self.index.cosines_of(vector, slots).tolist(), strict=True))

    def _matches(
        self,
        request: Request,
        text: str,
        ranked: Sequence[_Ranked],
        bm25: Floats,
        bm25_rank: dict[int, int],
        cosines: dict[int, float],
        dense_rank: dict[int, int],
        dense: bool,
    ) -> list[Match]:
        index = self.index
        kept: list[_Ranked] = []
        duplicates: dict[str, list[str]] = {}
        seen = DuplicateFilter() if request.collapse else None
        for item in ranked:
            if len(kept) == request.top:
                break
            if seen is not None:
                original = seen.original_of(index.documents[item.slot])
                if original is not None:
                    duplicates.setdefault(original.id, []).append(index.documents[item.slot].id)
                    continue
            kept.append(item)
        terms = index.analyzer.display_terms(text)
        matches = []
        for rank, item in enumerate(kept, start=1):
            document = index.documents[item.slot]
            explanation = Explanation(
                terms=_matched_terms(terms, document),
                bm25=float(bm25[item.slot]),
                bm25_rank=bm25_rank.get(item.slot),
                cosine=cosines.get(item.slot) if dense else None,
                dense_rank=dense_rank.get(item.slot),
            )
            matches.append(
                Match(
                    document.id,
                    item.score,
                    rank,
                    document.kind,
                    explanation,
                    relevance=item.relevance,
                    duplicates=tuple(duplicates.get(document.id, ())),
                )
            )
        return matches


def _matched_terms(terms: Sequence[str], document: Document) -> dict[str, tuple[str, ...]]:
    """Per field, the query's terms found in it (boilerplate removed first): Chinese terms
    (two characters or more) as substrings, Latin words and numbers as whole words."""
    out: dict[str, tuple[str, ...]] = {}
    for name, value in document.fields.items():
        text = normalise(strip_boilerplate(value))
        words = set(_LATIN.findall(text))
        found = tuple(
            term
            for term in terms
            if (term in words if _LATIN.fullmatch(term) else len(term) >= 2 and term in text)
        )
        out[name] = found
    return out
