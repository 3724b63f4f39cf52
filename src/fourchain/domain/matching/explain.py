"""A match and the explanation it carries: matched terms per field and both retrievers' scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fourchain.domain.matching.documents import DocumentKind


@dataclass(frozen=True)
class Explanation:
    """Why a document matched.

    `terms` maps each field of the document to the query terms found in it (in the query's
    order); `bm25`/`cosine` are the two retrievers' raw scores and `*_rank` their ranks (None:
    that retriever did not return the document in its candidate list)."""

    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    bm25: float | None = None
    bm25_rank: int | None = None
    cosine: float | None = None
    dense_rank: int | None = None

    @property
    def matched_fields(self) -> tuple[str, ...]:
        return tuple(name for name, found in self.terms.items() if found)

    @property
    def found_by(self) -> tuple[str, ...]:
        """Which retrievers returned the document: 'bm25', 'dense' or both."""
        names = []
        if self.bm25_rank is not None:
            names.append("bm25")
        if self.dense_rank is not None:
            names.append("dense")
        return tuple(names)

    def summary_zh(self) -> str:
        """One line for a page: 命中 (hits) per field, then the two scores."""
        parts = [f"{name}: {'、'.join(found)}" for name, found in self.terms.items() if found]
        scores = []
        if self.bm25 is not None:
            scores.append(f"BM25 {self.bm25:.2f}")
        if self.cosine is not None:
            scores.append(f"语义相似度 cosine {self.cosine:.3f}")
        hits = "；".join(parts) if parts else "无字面命中 (no literal term match)"
        return f"命中 {hits}（{'，'.join(scores)}）"

    def as_json(self) -> dict[str, object]:
        return {
            "terms": {name: list(found) for name, found in self.terms.items() if found},
            "fields": list(self.matched_fields),
            "bm25": self.bm25,
            "bm25_rank": self.bm25_rank,
            "cosine": self.cosine,
            "dense_rank": self.dense_rank,
        }


@dataclass(frozen=True)
class Match:
    """One result of a search: the document, its score and rank, and why.

    `score` is the mode's own score (BM25, cosine, or in hybrid mode the relevance);
    `relevance` the calibrated 0–100 relevance (about the chance, in per cent, that this is
    the record the query describes); `duplicates` the ids of near-duplicates collapsed
    under this result."""

    id: str
    score: float
    rank: int
    kind: DocumentKind = DocumentKind.ACHIEVEMENT
    explanation: Explanation = field(default_factory=Explanation)
    relevance: float | None = None
    duplicates: tuple[str, ...] = ()

    def as_json(self, *, explain: bool = False) -> dict[str, object]:
        data: dict[str, object] = {"id": self.id, "score": round(self.score, 6)}
        if explain:
            data["kind"] = self.kind.value
            data["explanation"] = self.explanation.as_json()
        return data
