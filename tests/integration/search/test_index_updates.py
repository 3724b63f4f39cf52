"""The index persists, updates incrementally (add, change, delete) and filters."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from fourchain.adapters.search.ann import AnnSettings, IvfIndex, set_threads
from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer
from fourchain.domain.matching import Attributes, Document, DocumentKind, Filters, Match
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


# ---------------------------------------------------------------- with an IVF index in place
# 3,000 vectors get an IVF index of 76 cells, 8 of them scanned
ANN = AnnSettings(min_vectors=1_000, exact_allowed=100, nprobe=8)
KINDS = (DocumentKind.ACHIEVEMENT, DocumentKind.EXPERT)


class HashEmbedder:
    """A stand-in model: a text's vector is a seeded function of the text (20 clusters), so a
    query equal to a document's text has that document's vector."""

    name, dim = "hash-16", 16

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        rows = []
        for text in texts:
            rng = np.random.default_rng(zlib.crc32(text.encode("utf-8")))
            centre = np.random.default_rng(zlib.crc32(text.encode("utf-8")) % 20)
            rows.append(centre.normal(size=16) + 0.4 * rng.normal(size=16))
        if not rows:
            return np.zeros((0, 16), dtype=np.float32)
        vectors = np.asarray(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.embed_documents(texts)


def _records(first: int, count: int) -> list[Document]:
    return [
        Document(f"d{i}", {"t": f"记录{i}号"}, KINDS[i % 2], Attributes("新能源", i % 9 + 1))
        for i in range(first, first + count)
    ]


@pytest.fixture
def ann_index(tmp_path: Path) -> SearchIndex:
    set_threads(1)  # one faiss thread per pytest-xdist worker
    documents = _records(0, 3_000)
    index = SearchIndex.build(documents, Analyzer("bigram"), embedder=HashEmbedder(), ann=ANN)
    index.save(tmp_path / "index")
    return index


def _dense(index: SearchIndex, text: str, top: int = 10, **kwargs: object) -> list[Match]:
    request = Request(text, top=top, mode=Mode.DENSE, **kwargs)  # type: ignore[arg-type]
    return HybridSearcher(index).search(request)


def _candidates(index: SearchIndex, text: str, k: int = 50) -> list[int]:
    [vector] = HashEmbedder().embed_queries([text])
    return index.dense_candidates(vector, k)[0].tolist()


def test_an_ivf_index_is_saved_and_opened_or_rebuilt_with_the_same_answers(
    ann_index: SearchIndex, tmp_path: Path
) -> None:
    folder = tmp_path / "index"
    assert ann_index.approximate and (folder / "vectors-main.ivf").exists()
    queries = [f"记录{i}号" for i in range(0, 3_000, 150)]
    before = [[(m.id, m.score) for m in _dense(ann_index, q)] for q in queries]
    assert [answer[0][0] for answer in before] == [f"d{i}" for i in range(0, 3_000, 150)]
    reopened = SearchIndex.open(folder, embedder=HashEmbedder(), ann=ANN)
    assert reopened.approximate
    assert [[(m.id, m.score) for m in _dense(reopened, q)] for q in queries] == before
    (folder / "vectors-main.ivf").unlink()
    rebuilt = SearchIndex.open(folder, embedder=HashEmbedder(), ann=ANN)
    assert rebuilt.approximate and (folder / "vectors-main.ivf").exists()  # seeded training
    assert [[(m.id, m.score) for m in _dense(rebuilt, q)] for q in queries] == before
    (folder / "vectors-main.ivf").write_bytes(b"not a faiss index")
    repaired = SearchIndex.open(folder, embedder=HashEmbedder(), ann=ANN)
    assert [[(m.id, m.score) for m in _dense(repaired, q)] for q in queries] == before
    assert IvfIndex.load(folder / "vectors-main.ivf").n_docs == 3_000


def test_hybrid_results_carry_exact_cosines_from_the_ivf_index(ann_index: SearchIndex) -> None:
    text = "记录42号"
    [query] = HashEmbedder().embed_queries([text])
    matches = HybridSearcher(ann_index).search(Request(text, top=20, mode=Mode.HYBRID))
    assert matches[0].id == "d42"
    for match in matches:
        [vector] = HashEmbedder().embed_documents([ann_index.document(match.id).text])
        assert match.explanation.cosine == pytest.approx(float(vector @ query), abs=1e-5)
    dense = _dense(ann_index, text, top=20)
    assert [m.score for m in dense] == [m.explanation.cosine for m in dense]


def test_changed_and_deleted_documents_leave_no_dead_slot_in_dense_results(
    ann_index: SearchIndex, tmp_path: Path
) -> None:
    assert _candidates(ann_index, "记录7号")[0] == 7 and _candidates(ann_index, "记录8号")[0] == 8
    ann_index.upsert([Document("d7", {"t": "全新的记录"}, KINDS[1], Attributes("新能源", 8))])
    assert ann_index.delete(["d8"]) == 1
    assert ann_index.main_size == 3_000 and ann_index.approximate  # a delta, not merged
    reopened = SearchIndex.open(tmp_path / "index", embedder=HashEmbedder(), ann=ANN)
    for index in (ann_index, reopened):
        # the dead slots' own vectors as queries: cosine 1 in the probed cell, yet not returned
        for text in ("记录7号", "记录8号"):
            candidates = _candidates(index, text)
            assert len(candidates) == 50 and {7, 8}.isdisjoint(candidates)
        assert _dense(index, "全新的记录", top=1)[0].id == "d7"  # found in the tail
        assert "d8" not in [m.id for m in _dense(index, "记录8号")]
    ann_index.upsert([Document("d7", {"t": "又改了一次"}, KINDS[1], Attributes("新能源", 8))])
    assert 3_000 not in _candidates(ann_index, "全新的记录")  # a dead slot of the tail
    assert _dense(ann_index, "又改了一次", top=1)[0].id == "d7"


def test_a_merge_rebuilds_the_ivf_index_over_the_live_documents(
    ann_index: SearchIndex, tmp_path: Path
) -> None:
    ann_index.merge_min, ann_index.merge_ratio = 5, 0.0
    ann_index.delete(["d1", "d2"])
    ann_index.upsert(_records(3_000, 6))  # the tail passes 5: merged
    assert ann_index.main_size == ann_index.slots == 3_004 and ann_index.approximate
    saved = IvfIndex.load(tmp_path / "index" / "vectors-main.ivf")
    assert saved.n_docs == 3_004
    reopened = SearchIndex.open(tmp_path / "index", embedder=HashEmbedder(), ann=ANN)
    for index in (ann_index, reopened):
        assert _dense(index, "记录3005号", top=1)[0].id == "d3005"
        assert {"d1", "d2"}.isdisjoint(m.id for m in _dense(index, "记录1号", top=50))


def test_filters_hold_with_the_ivf_index(ann_index: SearchIndex) -> None:
    experts = Filters(kinds=frozenset({DocumentKind.EXPERT}))  # 1,500 rows: the IVF's selector
    found = _dense(ann_index, "记录10号", top=30, filters=experts)
    assert len(found) == 30 and all(m.kind is DocumentKind.EXPERT for m in found)
    assert "d10" not in {m.id for m in found}  # an achievement
    mature = Filters(kinds=frozenset({DocumentKind.EXPERT}), trl_min=9)  # 167 rows: exact
    found = _dense(ann_index, "记录17号", top=30, filters=mature)
    assert found[0].id == "d17"
    assert all(int(m.id[1:]) % 9 == 8 and int(m.id[1:]) % 2 == 1 for m in found)
