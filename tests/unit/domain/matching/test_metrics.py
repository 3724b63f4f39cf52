"""Ranking metrics: nDCG@k, recall@k, share@k."""

from __future__ import annotations

import math

import pytest

from fourchain.domain.matching import mean, ndcg_at_k, recall_at_k, share_at_k
from fourchain.errors import InvalidInput


@pytest.mark.parametrize(
    ("ranked", "relevance", "k", "expected"),
    [
        (["a", "b"], {"a": 1.0}, 10, 1.0),
        (["b", "a"], {"a": 1.0}, 10, 1 / math.log2(3)),
        (["b", "c", "a"], {"a": 1.0}, 2, 0.0),  # found below the cut-off
        (["x", "y"], {"a": 1.0}, 10, 0.0),
        (["a", "b"], {}, 10, 0.0),  # nothing relevant: nothing to find
        (["b", "a"], {"a": 2.0, "b": 1.0}, 10, (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))),
        ([], {"a": 1.0}, 10, 0.0),
    ],
)
def test_ndcg_discounts_relevant_documents_by_log_rank(
    ranked: list[str], relevance: dict[str, float], k: int, expected: float
) -> None:
    assert ndcg_at_k(ranked, relevance, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ranked", "relevant", "k", "expected"),
    [
        (["a", "b", "c"], ["a"], 10, 1.0),
        (["a", "b", "c"], ["c"], 2, 0.0),
        (["a", "b", "c"], ["a", "z"], 10, 0.5),
        (["a"], [], 10, 0.0),
    ],
)
def test_recall_counts_the_share_of_relevant_documents_found(
    ranked: list[str], relevant: list[str], k: int, expected: float
) -> None:
    assert recall_at_k(ranked, relevant, k) == pytest.approx(expected)


def test_share_at_k_counts_only_the_first_k_results() -> None:
    assert share_at_k(["a1", "b1", "a2", "a3"], lambda d: d.startswith("a"), 3) == pytest.approx(
        2 / 3
    )
    assert share_at_k([], lambda d: True, 10) == 0.0


@pytest.mark.parametrize("metric", [ndcg_at_k, recall_at_k])
def test_k_below_one_is_refused(metric: object) -> None:
    with pytest.raises(InvalidInput, match="k must be at least 1"):
        metric(["a"], {"a": 1.0}, 0)  # type: ignore[operator]


def test_the_mean_of_nothing_is_an_error_not_zero() -> None:
    assert mean([1.0, 0.0]) == 0.5
    with pytest.raises(InvalidInput):
        mean([])
