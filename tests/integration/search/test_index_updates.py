"""The index persists, updates incrementally (add, change, delete) and filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer
from fourchain.domain.matching import Attributes, Document, DocumentKind, Filters
from fourchain.errors import InvalidInput, NotFound

NEW = Document("new-1", {"title": "钠离子电池正极材料的低成本制备", "abstract": "层状氧化物"})
CHANGED_TEXT = {"abstract": "基于区块链的跨境贸易单证存证与核验平台"}


def _ids(index: SearchIndex, text: str, top: int = 10, **kwargs: object) -> list[str]:
    request = Request(text, top=top, mode=Mode.BM25, **kwargs)  # type: ignore[arg-type]
    return [match.id for match in HybridSearcher(index).search(request)]


@pytest.fixture
def index(csl_abstracts: list[Document], tmp_path: Path) -> SearchIndex:
    built = SearchIndex.build(csl_abstracts[:300], Analyzer())
    built.save(tmp_path / "index")
    return built


def test_a_saved_index_opens_and_answers_the_same(index: SearchIndex, tmp_path: Path) -> None:
    reopened = SearchIndex.open(tmp_path / "index")
    query = "飞行器姿态控制系统的数学模型"
    assert _ids(reopened, query) == _ids(index, query)
    assert _ids(index, query)[0] == "csl-dev-0000"


def test_an_added_document_is_found_at_once_and_after_reopening(
    index: SearchIndex, tmp_path: Path
) -> None:
    index.upsert([NEW])
    assert _ids(index, "钠离子电池正极材料", top=1) == ["new-1"]
    assert _ids(SearchIndex.open(tmp_path / "index"), "钠离子电池正极材料", top=1) == ["new-1"]


def test_a_changed_document_is_found_by_its_new_text_only(
    index: SearchIndex, tmp_path: Path
) -> None:
    old_query = "飞行器姿态控制系统的数学模型"
    index.upsert([Document("csl-dev-0000", CHANGED_TEXT)])
    assert "csl-dev-0000" not in _ids(index, old_query)
    assert _ids(index, "区块链跨境贸易单证存证", top=1) == ["csl-dev-0000"]
    reopened = SearchIndex.open(tmp_path / "index")
    assert "csl-dev-0000" not in _ids(reopened, old_query)
    assert reopened.document("csl-dev-0000").fields == CHANGED_TEXT


def test_a_deleted_document_is_not_found_any_more(index: SearchIndex, tmp_path: Path) -> None:
    query = "飞行器姿态控制系统的数学模型"
    assert index.delete(["csl-dev-0000", "no-such-id"]) == 1
    assert "csl-dev-0000" not in _ids(index, query)
    assert "csl-dev-0000" not in _ids(SearchIndex.open(tmp_path / "index"), query)
    with pytest.raises(NotFound):
        index.document("csl-dev-0000")


def test_a_growing_delta_is_merged_into_one_segment_with_the_same_answers(
    csl_abstracts: list[Document], tmp_path: Path
) -> None:
    index = SearchIndex.build(csl_abstracts[:100], Analyzer())
    index.merge_min, index.merge_ratio = 5, 0.0
    index.save(tmp_path / "index")
    index.upsert(csl_abstracts[100:104])
    assert index.main_size == 100 and index.slots == 104  # still a delta
    index.upsert(csl_abstracts[104:110])
    assert index.main_size == 110 and index.slots == 110  # merged
    query = str(csl_abstracts[107].text[:40])
    assert _ids(index, query, top=1) == [csl_abstracts[107].id]
    assert _ids(SearchIndex.open(tmp_path / "index"), query, top=1) == [csl_abstracts[107].id]


def test_filters_restrict_results_before_ranking() -> None:
    documents = [
        Document(
            "a", {"t": "固态电池电解质"}, attributes=Attributes("新能源", 7, "已授权", "集美区")
        ),
        Document(
            "b", {"t": "固态电池电解质膜"}, attributes=Attributes("新能源", 3, "申请中", "思明区")
        ),
        Document(
            "c", {"t": "固态电池"}, DocumentKind.EXPERT, Attributes("新能源", None, "", "集美区")
        ),
    ]
    index = SearchIndex.build(documents, Analyzer())
    assert set(_ids(index, "固态电池")) == {"a", "b", "c"}
    assert _ids(index, "固态电池", filters=Filters(trl_min=6)) == ["a"]
    assert _ids(index, "固态电池", filters=Filters(districts=frozenset({"集美区"}))) in (
        ["a", "c"],
        ["c", "a"],
    )
    experts = Filters(kinds=frozenset({DocumentKind.EXPERT}))
    assert _ids(index, "固态电池", filters=experts) == ["c"]


def test_a_match_explains_the_terms_and_fields_that_matched() -> None:
    document = Document("a", {"title": "固态电池电解质", "abstract": "用于储能电站的Li电池"})
    index = SearchIndex.build([document], Analyzer())
    [match] = HybridSearcher(index).search(Request("固态电池 储能 li", mode=Mode.BM25))
    assert match.explanation.terms["title"] == ("固态电池",)
    assert set(match.explanation.terms["abstract"]) == {"储能", "li"}
    assert match.explanation.bm25 == pytest.approx(match.score)
    assert match.explanation.cosine is None


def test_duplicate_ids_in_one_build_are_refused() -> None:
    with pytest.raises(InvalidInput, match="appears twice"):
        SearchIndex.build([Document("a", {"t": "x"}), Document("a", {"t": "y"})], Analyzer())


def test_hybrid_search_on_an_index_without_embeddings_says_what_to_do() -> None:
    index = SearchIndex.build([Document("a", {"t": "x"})], Analyzer())
    with pytest.raises(InvalidInput, match="market embed"):
        HybridSearcher(index).search(Request("x", mode=Mode.HYBRID))
