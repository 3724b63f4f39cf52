"""The matching engine the services see: a SearchIndex and its HybridSearcher behind one API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.embeddings import (
    DEFAULT_MODEL,
    Embedder,
    load_vectors,
    make_embedder,
)
from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer, Profile
from fourchain.domain.matching import NO_FILTERS, Document, Filters, Match
from fourchain.errors import InvalidInput

Progress = Callable[[int, int], None]


class MatchingEngine:
    """Search, two-way matching and incremental updates over one index."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.searcher = HybridSearcher(index)

    @classmethod
    def open(cls, folder: Path) -> MatchingEngine:
        return cls(SearchIndex.open(folder))

    def search_many(
        self, texts: Sequence[str], *, top: int, mode: str, filters: Filters = NO_FILTERS
    ) -> list[list[Match]]:
        candidates = max(top, Request.candidates)
        requests = [
            Request(text, top=top, mode=Mode(mode), filters=filters, candidates=candidates)
            for text in texts
        ]
        return self.searcher.search_many(requests)

    def match_document(self, doc_id: str, *, top: int = 10, mode: str = "hybrid") -> list[Match]:
        return self.searcher.match_document(self.index.document(doc_id), top=top, mode=Mode(mode))

    def upsert(self, documents: Sequence[Document]) -> None:
        self.index.upsert(documents)

    def delete(self, ids: Sequence[str]) -> int:
        return self.index.delete(ids)

    def save(self, folder: Path) -> None:
        self.index.save(folder)


def embed_with_progress(
    embedder: Embedder, texts: Sequence[str], progress: Progress | None, batch: int = 64
) -> npt.NDArray[np.float32]:
    parts = []
    for start in range(0, len(texts), batch):
        parts.append(embedder.embed_documents(list(texts[start : start + batch])))
        if progress is not None:
            progress(min(start + batch, len(texts)), len(texts))
    if not parts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.concatenate(parts)


def vectors_for(documents: Sequence[Document], folder: Path, model: str) -> npt.NDArray[Any]:
    """Rows of a finished `market embed` job, reordered to the documents' order."""
    ids, vectors, stored_model = load_vectors(folder)
    if stored_model != model:
        raise InvalidInput(f"{folder} holds {stored_model} embeddings, not {model}")
    row = {doc_id: i for i, doc_id in enumerate(ids)}
    missing = [d.id for d in documents if d.id not in row]
    if missing:
        raise InvalidInput(
            f"{folder} has no embedding for {len(missing)} document(s), e.g. {missing[0]!r}; "
            "run `market embed` on this corpus"
        )
    order = [row[d.id] for d in documents]
    if order == list(range(len(ids))):
        return vectors
    return np.asarray(vectors[order], dtype=np.float32)


@dataclass(frozen=True)
class EngineBuilder:
    """Builds MatchingEngines (the services' EngineFactory)."""

    model: str = DEFAULT_MODEL
    profile: Profile = Profile.BIGRAM_JIEBA
    processes: int = 1
    embeddings: Path | None = None  # a finished `market embed` folder to reuse

    def __call__(
        self,
        documents: Sequence[Document],
        *,
        with_vectors: bool,
        progress: Progress | None = None,
    ) -> MatchingEngine:
        embedder = make_embedder(self.model) if with_vectors else None
        vectors = None
        if embedder is not None:
            if self.embeddings is not None:
                vectors = vectors_for(documents, self.embeddings, self.model)
            else:
                vectors = embed_with_progress(embedder, [d.text for d in documents], progress)
        index = SearchIndex.build(
            documents,
            Analyzer(self.profile),
            embedder=embedder,
            vectors=vectors,
            processes=self.processes,
        )
        return MatchingEngine(index)
