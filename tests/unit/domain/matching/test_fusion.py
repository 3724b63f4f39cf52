"""Reciprocal rank fusion."""

from __future__ import annotations

import pytest

from fourchain.domain.matching import reciprocal_rank_fusion
from fourchain.errors import InvalidInput


@pytest.mark.parametrize(
    ("rankings", "k", "expected_order"),
    [
        ([["a", "b", "c"]], 60, ["a", "b", "c"]),
        ([["a", "b"], ["b", "a"]], 60, ["a", "b"]),  # a tie keeps first appearance
        ([["a", "b", "c"], ["c", "b", "x"]], 60, ["c", "b", "a", "x"]),  # 1/63+1/61 > 2/62
        ([["a"], ["b"], ["b"]], 60, ["b", "a"]),
        ([[], ["z"]], 1, ["z"]),
    ],
)
def test_fusion_orders_documents_by_summed_reciprocal_ranks(
    rankings: list[list[str]], k: int, expected_order: list[str]
) -> None:
    assert [doc for doc, _ in reciprocal_rank_fusion(rankings, k=k)] == expected_order


def test_fused_score_is_the_sum_of_one_over_k_plus_rank() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)


def test_weights_scale_each_lists_contribution() -> None:
    fused = reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 2.0])
    assert [doc for doc, _ in fused] == ["b", "a"]


def test_a_document_found_by_only_one_retriever_still_appears() -> None:
    assert {doc for doc, _ in reciprocal_rank_fusion([["a"], ["english-only"]])} == {
        "a",
        "english-only",
    }


@pytest.mark.parametrize(
    ("rankings", "kwargs", "message"),
    [
        ([["a"]], {"k": 0}, "at least 1"),
        ([["a"], ["b"]], {"weights": [1.0]}, "1 weights given for 2 rankings"),
        ([["a", "a"]], {}, "appears twice"),
    ],
)
def test_bad_fusion_input_is_refused_with_the_reason(
    rankings: list[list[str]], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        reciprocal_rank_fusion(rankings, **kwargs)  # type: ignore[arg-type]
