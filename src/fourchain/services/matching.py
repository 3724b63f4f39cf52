"""Use cases of the matching engine: batch search for evaluation, and indexing a corpus.

The engine itself is an adapter (fourchain.adapters.search); these use cases see it through
the small protocols below, so they can be tested with a fake and reused by the market area.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fourchain.domain.matching import NO_FILTERS, Document, Filters, Match
from fourchain.errors import InvalidInput
from fourchain.services.ports import EngineFactory

MODES = ("bm25", "dense", "hybrid")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class QueryLine:
    """One query of a batch: its id and its text."""

    id: str
    text: str


@dataclass(frozen=True)
class QueryResult:
    query_id: str
    matches: tuple[Match, ...]

    def as_json(self, *, explain: bool = False) -> dict[str, object]:
        return {
            "query_id": self.query_id,
            "results": [match.as_json(explain=explain) for match in self.matches],
        }


def _check(top: int, mode: str) -> None:
    if top < 1:
        raise InvalidInput(f"--top must be at least 1, got {top}")
    if mode not in MODES:
        raise InvalidInput(f"mode must be one of {', '.join(MODES)}, got {mode!r}")


def batch_search(
    documents: Sequence[Document],
    queries: Sequence[QueryLine],
    *,
    top: int,
    mode: str,
    build: EngineFactory,
    filters: Filters = NO_FILTERS,
    progress: Progress | None = None,
) -> list[QueryResult]:
    """Every query against the corpus: the top matches of each, in query order."""
    _check(top, mode)
    if not documents:
        return [QueryResult(query.id, ()) for query in queries]
    engine = build(documents, with_vectors=mode != "bm25", progress=progress)
    answered = engine.search_many(
        [query.text for query in queries], top=top, mode=mode, filters=filters
    )
    return [
        QueryResult(query.id, tuple(matches))
        for query, matches in zip(queries, answered, strict=True)
    ]


@dataclass(frozen=True)
class IndexSummary:
    documents: int
    with_vectors: bool
    folder: Path


def index_corpus(
    documents: Sequence[Document],
    folder: Path,
    *,
    build: EngineFactory,
    with_vectors: bool = True,
    progress: Progress | None = None,
) -> IndexSummary:
    """Index the market's records (achievements, demands, experts, institutions, enterprise
    profiles) into a folder that later searches open; replaces what was there."""
    ids = [document.id for document in documents]
    if len(set(ids)) != len(ids):
        raise InvalidInput("document ids must be unique")
    engine = build(documents, with_vectors=with_vectors, progress=progress)
    engine.save(folder)
    return IndexSummary(len(documents), with_vectors, folder)
