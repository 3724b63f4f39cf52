"""Hybrid search: BM25 and dense candidates fused by reciprocal rank, filtered, explained."""

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
from fourchain.errors import InvalidInput

Floats = npt.NDArray[np.float32]
_LATIN = re.compile(r"[0-9a-z\u00c0-\u024f\u0370-\u03ff]+")


class Mode(StrEnum):
    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"


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

    def __post_init__(self) -> None:
        if self.top < 1:
            raise InvalidInput(f"top must be at least 1, got {self.top}")
        if self.candidates < self.top:
            raise InvalidInput("candidates must be at least top")


class HybridSearcher:
    """Answers requests against one SearchIndex."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def search(self, request: Request) -> list[Match]:
        vectors = self._query_vectors([request])
        return self._search(request, None if vectors is None else vectors[0])

    def search_many(self, requests: Sequence[Request]) -> list[list[Match]]:
        """Many requests; their query embeddings are computed in one batch."""
        vectors = self._query_vectors(requests)
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

    def _query_vectors(self, requests: Sequence[Request]) -> Floats | None:
        if all(request.mode is Mode.BM25 for request in requests):
            return None
        if self.index.embedder is None or not self.index.has_vectors:
            raise InvalidInput(
                "hybrid and dense search need an index with embeddings (run `market embed`)"
            )
        return self.index.embedder.embed_queries([request.text for request in requests])

    def _search(self, request: Request, vector: Floats | None) -> list[Match]:
        index = self.index
        allowed = index.live_mask(request.filters)
        for doc_id in request.exclude:
            slot = index.slot_of(doc_id)
            if slot is not None:
                allowed[slot] = False
        tokens = index.analyzer.analyse(request.text)
        bag: dict[str, int] = {}
        for token in tokens:
            bag[token] = bag.get(token, 0) + 1
        bm25 = index.bm25_scores(bag)
        lists: list[list[int]] = []
        bm25_rank: dict[int, int] = {}
        if request.mode is not Mode.DENSE:
            slots = top_k(bm25, request.candidates, allowed).tolist()
            bm25_rank = {slot: rank for rank, slot in enumerate(slots, start=1)}
            lists.append(slots)
        dense = vector is not None and request.mode is not Mode.BM25
        cosines: dict[int, float] = {}  # the dense candidates' exact cosines
        dense_rank: dict[int, int] = {}
        if dense:
            assert vector is not None
            found, sims = index.dense_candidates(vector, request.candidates, allowed)
            slots = found.tolist()
            cosines = dict(zip(slots, sims.tolist(), strict=True))
            dense_rank = {slot: rank for rank, slot in enumerate(slots, start=1)}
            lists.append(slots)
        if len(lists) == 1 and request.mode is Mode.DENSE:
            fused = [(slot, cosines[slot]) for slot in lists[0][: request.top]]
        elif len(lists) == 1:
            fused = [(slot, float(bm25[slot])) for slot in lists[0][: request.top]]
        else:
            ranked = reciprocal_rank_fusion([[str(s) for s in slots] for slots in lists])
            fused = [(int(key), score) for key, score in ranked[: request.top]]
        if dense:
            # Explanations give every result's cosine: the few fused results the dense
            # retriever did not return are computed exactly here (a dot product each).
            assert vector is not None
            missing = [slot for slot, _ in fused if slot not in cosines]
            if missing:
                cosines.update(
                    zip(missing, index.cosines_of(vector, missing).tolist(), strict=True)
                )
        terms = index.analyzer.display_terms(request.text)
        matches = []
        for rank, (slot, score) in enumerate(fused, start=1):
            document = index.documents[slot]
            explanation = Explanation(
                terms=_matched_terms(terms, document),
                bm25=float(bm25[slot]),
                bm25_rank=bm25_rank.get(slot),
                cosine=cosines[slot] if dense else None,
                dense_rank=dense_rank.get(slot),
            )
            matches.append(Match(document.id, score, rank, document.kind, explanation))
        return matches


def _matched_terms(terms: Sequence[str], document: Document) -> dict[str, tuple[str, ...]]:
    """Per field, the query's terms found in it: Chinese terms (two characters or more) as
    substrings, Latin words and numbers as whole words."""
    out: dict[str, tuple[str, ...]] = {}
    for name, value in document.fields.items():
        text = normalise(value)
        words = set(_LATIN.findall(text))
        found = tuple(
            term
            for term in terms
            if (term in words if _LATIN.fullmatch(term) else len(term) >= 2 and term in text)
        )
        out[name] = found
    return out
