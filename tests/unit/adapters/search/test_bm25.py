"""The streaming BM25 builder gives exactly bm25s's scores, and top-k picks the best."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import bm25s
import numpy as np
import pytest

from fourchain.adapters.search.bm25 import Bm25Params, Segment, build_segment, top_k
from fourchain.errors import InvalidInput

DOCS = [
    ["锂离", "离子", "电池", "电池"],
    ["固态", "电池", "储能"],
    ["氢能"],
    ["储能", "储能", "储能", "光伏", "电站", "电池"],
]
QUERIES = [["电池"], ["储能", "电池"], ["光伏", "储能", "储能"], ["unknown"]]


@pytest.mark.parametrize("query", QUERIES)
def test_segment_scores_equal_bm25s_indexing_the_same_tokens(query: list[str]) -> None:
    segment = build_segment([Counter(doc) for doc in DOCS])
    reference = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    reference.index(DOCS, show_progress=False)
    expected = reference.get_scores(query) if set(query) & reference.vocab_dict.keys() else 0
    np.testing.assert_allclose(segment.scores(Counter(query)), expected, rtol=1e-5)


def test_a_segment_saved_and_loaded_scores_the_same(tmp_path: Path) -> None:
    segment = build_segment([Counter(doc) for doc in DOCS])
    segment.save(tmp_path / "seg")
    loaded = Segment.load(tmp_path / "seg")
    query = Counter(["储能", "电池"])
    np.testing.assert_array_equal(loaded.scores(query), segment.scores(query))
    assert loaded.avgdl == pytest.approx(segment.avgdl)


def test_a_delta_segment_uses_the_main_segments_statistics() -> None:
    main = build_segment([Counter(doc) for doc in DOCS])
    delta = build_segment([Counter(["氢能", "电池"])], stats=main.stats())
    alone = build_segment([Counter(["氢能", "电池"])])
    # With the main corpus behind it, 电池 (in 4 of 5 documents) is worth less than 氢能 (2).
    scores = delta.scores(Counter(["电池"]))[0], delta.scores(Counter(["氢能"]))[0]
    assert scores[0] < scores[1]
    assert alone.scores(Counter(["电池"]))[0] == alone.scores(Counter(["氢能"]))[0]


def test_top_k_returns_the_highest_positive_scores_best_first() -> None:
    scores = np.array([0.5, 0.0, 2.0, 1.0, 2.0], dtype=np.float32)
    assert top_k(scores, 3).tolist() == [2, 4, 3]
    assert top_k(scores, 10).tolist() == [2, 4, 3, 0]  # zero scores are not matches
    allowed = np.array([True, True, False, True, True])
    assert top_k(scores, 2, allowed).tolist() == [4, 3]


def test_loading_a_folder_that_is_not_a_segment_says_so(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a BM25 segment"):
        Segment.load(tmp_path)


def test_bad_bm25_parameters_are_refused() -> None:
    with pytest.raises(InvalidInput, match="k1 > 0"):
        Bm25Params(k1=0)
