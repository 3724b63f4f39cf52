"""The streaming BM25 builders give exactly bm25s's scores, the fast one the same segment as
the one from token bags, and top-k picks the best."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import bm25s
import numpy as np
import pytest

from fourchain.adapters.search.bm25 import (
    Bm25Params,
    Segment,
    build_segment,
    build_segment_from_chunks,
    top_k,
)
from fourchain.adapters.search.text import Analyzer, Profile, token_bags, token_chunks
from fourchain.errors import InvalidInput
from tests.unit.adapters.search.test_text import TRICKY, csl_texts

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


# ---------------------------------------------------------------- the fast builder


def _assert_same_segment(fast: Segment, reference: Segment) -> None:
    """Same documents, statistics, vocabulary, and every (token, document) score."""
    assert fast.n_docs == reference.n_docs
    assert fast.avgdl == reference.avgdl
    assert fast.vocab.keys() == reference.vocab.keys()
    # The fast segment's columns reordered into the reference's column order.
    by_column = sorted(reference.vocab, key=reference.vocab.__getitem__)
    order = np.array([fast.vocab[token] for token in by_column], dtype=np.int64)
    ref_ptr, fast_ptr = reference._indptr[: len(order) + 1], fast._indptr
    sizes = np.diff(ref_ptr)
    np.testing.assert_array_equal(fast_ptr[order + 1] - fast_ptr[order], sizes)
    where = np.repeat(fast_ptr[order] - ref_ptr[:-1], sizes) + np.arange(int(sizes.sum()))
    np.testing.assert_array_equal(fast._indices[where], reference._indices)
    np.testing.assert_array_equal(fast._data[where], reference._data)


@pytest.mark.parametrize("profile", list(Profile))
def test_the_fast_builder_makes_the_segment_token_bags_make(profile: Profile) -> None:
    texts = csl_texts() + TRICKY
    analyzer = Analyzer(profile)
    reference = build_segment(token_bags(texts, analyzer))
    fast = build_segment_from_chunks(token_chunks(texts, analyzer, chunk=64))
    _assert_same_segment(fast, reference)
    queries = [text.split("\n")[0] for text in texts[::25]] + ["锂离子电池 OFDM", "钢", ""]
    for query in queries:
        bag = Counter(analyzer.analyse(query))
        assert np.allclose(fast.scores(bag), reference.scores(bag)), query


def test_the_fast_builder_with_workers_and_after_saving_scores_the_same(tmp_path: Path) -> None:
    texts = csl_texts()[:400] + TRICKY
    analyzer = Analyzer(Profile.BIGRAM)
    reference = build_segment(token_bags(texts, analyzer))
    fast = build_segment_from_chunks(token_chunks(texts, analyzer, processes=2, chunk=50))
    _assert_same_segment(fast, reference)
    fast.save(tmp_path / "seg")
    loaded = Segment.load(tmp_path / "seg")
    _assert_same_segment(loaded, reference)


def test_the_fast_builder_of_nothing_or_of_empty_texts_is_an_empty_segment() -> None:
    for texts in ([], ["", " , "]):
        fast = build_segment_from_chunks(token_chunks(texts, Analyzer()))
        reference = build_segment(token_bags(texts, Analyzer()))
        _assert_same_segment(fast, reference)
        assert fast._indptr.tolist() == reference._indptr.tolist() == [0, 0]
        assert fast.scores(Counter(["电池"])).tolist() == [0.0] * len(texts)


def test_the_fast_builder_matches_bm25s_on_the_same_tokens() -> None:
    texts = ["锂离子电池电池", "固态电池储能", "氢能", "储能储能光伏电站电池"]
    analyzer = Analyzer(Profile.BIGRAM)
    segment = build_segment_from_chunks(token_chunks(texts, analyzer, chunk=3))
    reference = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    reference.index([analyzer.analyse(t) for t in texts], show_progress=False)
    for query in (["电池"], ["储能", "电池"], ["光伏", "储能", "储能"]):
        expected = reference.get_scores(query)
        np.testing.assert_allclose(segment.scores(Counter(query)), expected, rtol=1e-5)
