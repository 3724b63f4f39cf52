"""The calibrated fusion: query kinds, the ranking and its tie-breaks, the 0–100 relevance."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from fourchain.domain.matching.boilerplate import strip_boilerplate
from fourchain.domain.matching.calibration import MODELS
from fourchain.domain.matching.fusion import (
    Evidence,
    Feedback,
    LogisticModel,
    Neighbours,
    QueryKind,
    fuse,
    query_kind,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("一种基于平方和优化的飞行器大角度机动镇定控制器设计方法", QueryKind.TITLE),
        ("基于OFDM的信道估计", QueryKind.TITLE),
        ("固态电池; 储能; 电解质", QueryKind.KEYWORDS),
        ("锂离子电池、正极材料、循环寿命", QueryKind.KEYWORDS),
        ("Design of a stabilizing controller for aircraft", QueryKind.OTHER_LANGUAGE),
        ("solid-state battery", QueryKind.OTHER_LANGUAGE),
        (
            "我们需要一种低成本的储能方案。现有电池寿命不足，希望找到替代材料。",
            QueryKind.DESCRIPTION,
        ),
        ("采" * 80, QueryKind.DESCRIPTION),
    ],
)
def test_a_query_is_classified_by_its_shape(text: str, kind: QueryKind) -> None:
    assert query_kind(text) is kind


def test_every_query_kind_has_a_fitted_model_for_every_evidence() -> None:
    assert set(MODELS) == {(k, e) for k in QueryKind for e in Evidence}


def test_relevance_lies_between_0_and_100_and_follows_the_ranking() -> None:
    scored = fuse(
        {1: 12.0, 2: 6.0, 3: 0.5},
        {1: 0.6, 2: 0.4, 3: 0.1},
        MODELS[QueryKind.TITLE, Evidence.HYBRID],
    )
    assert [s.key for s in scored] == [1, 2, 3]
    relevances = [s.relevance for s in scored]
    assert all(0.0 <= r <= 100.0 for r in relevances)
    assert relevances == sorted(relevances, reverse=True)


@pytest.mark.parametrize(
    ("bm25", "cosines", "expected"),
    [
        ({5: 3.0, 2: 3.0}, {5: 0.5, 2: 0.5}, [2, 5]),  # all equal: the lower key
        ({5: 3.0, 2: 3.0}, {5: 0.6, 2: 0.5}, [5, 2]),  # then the higher cosine
        ({5: 4.0, 2: 3.0}, {5: 0.5, 2: 0.5}, [5, 2]),  # first the higher BM25
    ],
)
def test_equal_logits_are_broken_by_bm25_then_cosine_then_key(
    bm25: dict[int, float], cosines: dict[int, float], expected: list[int]
) -> None:
    flat = LogisticModel(0.0, (0.0, 0.0, 0.0, 0.0))  # every candidate ties
    assert [s.key for s in fuse(bm25, cosines, flat)] == expected


def test_a_weak_match_gets_a_low_relevance_and_an_exact_one_a_high_one() -> None:
    model = MODELS[QueryKind.TITLE, Evidence.HYBRID]
    strong = fuse({1: 40.0, 2: 8.0}, {1: 0.8, 2: 0.3}, model)[0]
    weak = fuse({1: 1.0, 2: 0.9}, {1: 0.15, 2: 0.14}, model)[0]
    assert strong.relevance > 90 > 30 > weak.relevance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("已完成样品验证，可用于电池的生产。（合成示例数据）", "，可用于电池的生产。"),
        ("固态电池[合成示例数据] 储能", "固态电池储能"),
        ("合成示例数据", ""),
        ("没有样板的文字", "没有样板的文字"),
    ],
)
def test_boilerplate_is_stripped_with_its_brackets(text: str, expected: str) -> None:
    assert strip_boilerplate(text) == expected


def _likeness(table: dict[tuple[int, int], float]) -> Neighbours:
    def neighbours(key: int, keys: Sequence[int]) -> dict[int, float]:
        return {k: 1.0 if k == key else table[min(k, key), max(k, key)] for k in keys}

    return neighbours


# Record 1 is far ahead; 2 has more of the query's words than 3, but 3 is like record 1.
_BM25 = {1: 30.0, 2: 9.0, 3: 8.0}
_COSINES = {1: 0.8, 2: 0.40, 3: 0.39}
_LIKE_1 = _likeness({(1, 2): 0.1, (1, 3): 0.9, (2, 3): 0.2})


def test_feedback_on_a_sure_first_record_brings_records_like_it_up() -> None:
    plain = LogisticModel(-10.0, (5.0, 1.0, 5.0, 5.0))
    sure = LogisticModel(-10.0, (5.0, 1.0, 5.0, 5.0), 1.0, Feedback(0.9, 10.0))
    assert [s.key for s in fuse(_BM25, _COSINES, plain, _LIKE_1)] == [1, 2, 3]
    with_feedback = fuse(_BM25, _COSINES, sure, _LIKE_1)
    assert [s.key for s in with_feedback] == [1, 3, 2]
    # The first record's relevance is the same with or without feedback.
    assert with_feedback[0].relevance == fuse(_BM25, _COSINES, plain)[0].relevance


def test_feedback_leaves_an_unsure_ranking_alone() -> None:
    close = {1: 9.2, 2: 9.0, 3: 8.0}  # the first record holds far less than 0.99
    model = LogisticModel(-10.0, (5.0, 1.0, 5.0, 5.0), 1.0, Feedback(0.99, 10.0))
    plain = LogisticModel(-10.0, (5.0, 1.0, 5.0, 5.0))
    assert [s.key for s in fuse(close, _COSINES, model, _LIKE_1)] == [
        s.key for s in fuse(close, _COSINES, plain, _LIKE_1)
    ]


def test_feedback_needs_the_likeness_and_the_cosines() -> None:
    model = LogisticModel(-10.0, (5.0, 1.0, 5.0, 5.0), 1.0, Feedback(0.5, 10.0))
    assert [s.key for s in fuse(_BM25, _COSINES, model)] == [1, 2, 3]
    assert [s.key for s in fuse(_BM25, None, model, _LIKE_1)] == [1, 2, 3]


def test_the_fitted_hybrid_models_of_chinese_queries_use_feedback() -> None:
    for kind in (QueryKind.TITLE, QueryKind.KEYWORDS):
        assert MODELS[kind, Evidence.HYBRID].feedback is not None
