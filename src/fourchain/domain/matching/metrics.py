"""Ranking quality metrics: nDCG@k, recall@k, precision-like shares, their means."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from fourchain.errors import InvalidInput


def _check_k(k: int) -> None:
    if k < 1:
        raise InvalidInput(f"k must be at least 1, got {k}")


def dcg_at_k(gains: Sequence[float], k: int) -> float:
    """Discounted cumulative gain of the first k gains (log2 discount, rank 1 undiscounted)."""
    _check_k(k)
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains[:k], start=1))


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int) -> float:
    """nDCG@k of a ranking against graded relevance (absent ids have gain 0).

    A query with no relevant document scores 0: there is nothing it could have found."""
    _check_k(k)
    ideal = dcg_at_k(sorted(relevance.values(), reverse=True), k)
    if ideal <= 0:
        return 0.0
    return dcg_at_k([relevance.get(doc_id, 0.0) for doc_id in ranked], k) / ideal


def recall_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant ids found in the first k of the ranking."""
    _check_k(k)
    wanted = set(relevant)
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranked[:k])) / len(wanted)


def share_at_k(ranked: Sequence[str], predicate: Callable[[str], bool], k: int) -> float:
    """Share of the first k results for which predicate holds (e.g. same discipline)."""
    _check_k(k)
    top = ranked[:k]
    if not top:
        return 0.0
    return sum(1 for doc_id in top if predicate(doc_id)) / len(top)


def mean(values: Iterable[float]) -> float:
    items = list(values)
    if not items:
        raise InvalidInput("the mean of no values is undefined")
    return sum(items) / len(items)
