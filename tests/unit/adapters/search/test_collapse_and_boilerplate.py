"""Near-duplicates collapse into one result; boilerplate never matches nor explains."""

from __future__ import annotations

import pytest

from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer
from fourchain.domain.matching import Document, DocumentKind

MARKER = "（合成示例数据）"


def _achievement(doc_id: str, title: str, abstract: str) -> Document:
    return Document(doc_id, {"title": title, "abstract": abstract}, DocumentKind.ACHIEVEMENT)


CORPUS = [
    _achievement("a1", "固态锂电池电解质", "一种硫化物固态电解质，提高锂离子电导率。" + MARKER),
    # the same record entered again, and once with its title reworded: near-duplicates of a1
    _achievement("a2", "固态锂电池电解质", "一种硫化物固态电解质，提高锂离子电导率。" + MARKER),
    _achievement("a3", "固态锂电池的电解质", "一种硫化物固态电解质，提高锂离子电导率。" + MARKER),
    _achievement("b1", "锂电池正极包覆工艺", "正极材料表面包覆，提高循环寿命。" + MARKER),
    _achievement("c1", "水稻抗病育种", "利用分子标记筛选抗稻瘟病品种。" + MARKER),
    _achievement("c2", "合成生物学平台", "示例菌株的代谢数据分析平台。"),
    # another kind with the same title is not a duplicate of an achievement
    Document("e1", {"title": "固态锂电池电解质", "products": "电解质"}, DocumentKind.ENTERPRISE),
]


@pytest.fixture(scope="module")
def searcher() -> HybridSearcher:
    return HybridSearcher(SearchIndex.build(CORPUS, Analyzer()))


def test_near_duplicates_collapse_into_the_best_ranked_one(searcher: HybridSearcher) -> None:
    matches = searcher.search(Request("固态锂电池电解质", mode=Mode.BM25, collapse=True))
    ids = [m.id for m in matches]
    kept = next(m for m in matches if m.id in {"a1", "a2", "a3"})
    assert sorted([kept.id, *kept.duplicates]) == ["a1", "a2", "a3"]
    assert len({"a1", "a2", "a3"} & set(ids)) == 1
    assert "e1" in ids  # same title, other kind: kept
    assert [m.rank for m in matches] == list(range(1, len(matches) + 1))


def test_without_collapse_every_record_is_returned(searcher: HybridSearcher) -> None:
    ids = {m.id for m in searcher.search(Request("固态锂电池电解质", mode=Mode.BM25))}
    assert {"a1", "a2", "a3"} <= ids


@pytest.mark.parametrize("query", ["合成示例数据", "示例数据 合成", "锂电池 合成示例数据"])
def test_the_synthetic_data_marker_is_never_a_matched_term(
    searcher: HybridSearcher, query: str
) -> None:
    marker_words = {"合成", "示例", "数据", "合成示例数据", "示例数据"}
    for match in searcher.search(Request(query, mode=Mode.BM25, top=10)):
        if match.id == "c2":  # c2 says 合成, 示例 and 数据 in its own words
            continue
        for field, terms in match.explanation.terms.items():
            assert not marker_words & set(terms), (match.id, field)


def test_the_marker_alone_is_no_query_and_its_words_find_only_who_says_them(
    searcher: HybridSearcher,
) -> None:
    alone = searcher.search(Request("合成示例数据", mode=Mode.BM25, top=10))
    assert [m.id for m in alone if m.score > 0] == []
    words = searcher.search(Request("示例 数据 合成", mode=Mode.BM25, top=10))
    assert [m.id for m in words if m.score > 0] == ["c2"]
