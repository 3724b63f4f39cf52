"""Reciprocal rank fusion: several ranked candidate lists become one ranking."""

from __future__ import annotations

from collections.abc import Sequence

from fourchain.errors import InvalidInput

# k=60 is the constant of Cormack, Clarke and Büttcher (SIGIR 2009); it damps the head of
# each list so that one retriever's first place cannot outvote agreement between them.
RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    *,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fuse ranked id lists (best first) into (id, score) pairs, best first.

    score(d) = Σ_lists weight / (k + rank of d in that list), rank counted from 1. Ties keep
    the order of first appearance (list by list), so the fusion is deterministic."""
    if k < 1:
        raise InvalidInput(f"RRF constant k must be at least 1, got {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise InvalidInput(f"{len(weights)} weights given for {len(rankings)} rankings")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, doc_id in enumerate(ranking, start=1):
            if doc_id in seen:
                raise InvalidInput(f"id {doc_id!r} appears twice in one ranking")
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    order = {doc_id: position for position, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
