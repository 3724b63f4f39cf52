"""The IVF index in front of large vector sets: recall against the exact scan, filters,
persistence and seeded (repeatable) training."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from fourchain.adapters.search.ann import AnnSettings, IvfIndex, cells_for, set_threads
from fourchain.adapters.search.dense import DenseIndex, VectorSearch, top_k_any
from fourchain.errors import InvalidInput

Floats = npt.NDArray[np.float32]
# A low threshold, so 60,000 rows get an IVF index (980 cells, 32 of them scanned); filters
# allowing up to 5,000 rows are scanned exactly, wider ones go through the IVF with a selector.
SETTINGS = AnnSettings(min_vectors=10_000, exact_allowed=5_000, nprobe=32)


@pytest.fixture(autouse=True, scope="module")
def one_thread() -> Iterator[None]:
    set_threads(1)  # pytest-xdist runs a worker per core: faiss must not fan out as well
    yield


def clustered(n: int, dim: int, seed: int) -> tuple[Floats, Floats]:
    """n normalised vectors around 300 centres, and 100 queries near random rows."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(300, dim)).astype(np.float32)
    vectors = centres[rng.integers(0, 300, n)] + 0.35 * rng.normal(size=(n, dim))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    queries = vectors[rng.integers(0, n, 100)] + 0.2 * rng.normal(size=(100, dim))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    return vectors, queries


@pytest.fixture(scope="module")
def data() -> tuple[Floats, Floats]:
    return clustered(60_000, 64, seed=11)


@pytest.fixture(scope="module")
def search(data: tuple[Floats, Floats]) -> VectorSearch:
    return VectorSearch.build(data[0], SETTINGS)


def exact_top(
    vectors: Floats, query: Floats, k: int, allowed: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.int64]:
    return DenseIndex(vectors).search(query, k, allowed)[0]


def recall(found: npt.NDArray[np.int64], truth: npt.NDArray[np.int64]) -> float:
    return len(set(found.tolist()) & set(truth.tolist())) / len(truth)


def test_ivf_candidates_reach_the_exact_top_10(
    search: VectorSearch, data: tuple[Floats, Floats]
) -> None:
    vectors, queries = data
    assert search.approximate and search.ivf is not None
    assert search.ivf.nlist == cells_for(60_000) == 980
    recalls = []
    for query in queries:
        rows, sims = search.search(query, 10)
        assert len(rows) == 10
        # best first, and the cosines are the exact ones (re-scored from the stored rows)
        assert np.all(np.diff(sims) <= 0)
        np.testing.assert_allclose(sims, vectors[rows] @ query, rtol=1e-5, atol=1e-6)
        recalls.append(recall(rows, exact_top(vectors, query, 10)))
    assert np.mean(recalls) >= 0.9


def test_the_ivf_scans_only_a_few_cells(search: VectorSearch, data: tuple[Floats, Floats]) -> None:
    """One probed cell finds far less than the default nprobe: the index is really
    approximate, and nprobe is what buys the recall."""
    vectors, queries = data
    assert search.ivf is not None
    few = [
        recall(search.ivf.search(query, 10, nprobe=1), exact_top(vectors, query, 10))
        for query in queries[:30]
    ]
    assert np.mean(few) < 0.8


def test_a_small_allowed_set_is_scanned_exactly(
    search: VectorSearch, data: tuple[Floats, Floats]
) -> None:
    vectors, queries = data
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[np.random.default_rng(3).choice(len(vectors), 2_000, replace=False)] = True
    for query in queries[:20]:
        rows, sims = search.search(query, 10, allowed)
        assert allowed[rows].all()
        assert rows.tolist() == exact_top(vectors, query, 10, allowed).tolist()
        np.testing.assert_allclose(sims, vectors[rows] @ query, rtol=1e-5, atol=1e-6)


def test_a_wide_filter_returns_only_allowed_rows_and_the_best_of_them(
    search: VectorSearch, data: tuple[Floats, Floats]
) -> None:
    vectors, queries = data
    allowed = np.random.default_rng(4).random(len(vectors)) < 0.3  # 18,000 rows: the IVF path
    recalls = []
    for query in queries[:50]:
        rows, _ = search.search(query, 10, allowed)
        assert len(rows) == 10 and allowed[rows].all()
        recalls.append(recall(rows, exact_top(vectors, query, 10, allowed)))
    assert np.mean(recalls) >= 0.9


def test_an_excluded_row_is_never_returned(
    search: VectorSearch, data: tuple[Floats, Floats]
) -> None:
    vectors, _ = data
    allowed = np.ones(len(vectors), dtype=bool)
    allowed[[5, 6, 7]] = False  # dead slots, say
    for row in (5, 6, 7):
        assert search.search(vectors[row], 1)[0].tolist() == [row]
        found = search.search(vectors[row], 50, allowed)[0]
        assert len(found) == 50 and not {5, 6, 7} & set(found.tolist())
    nothing = np.zeros(len(vectors), dtype=bool)
    assert search.search(vectors[0], 10, nothing)[0].size == 0


def test_cosines_of_given_rows_are_exact(search: VectorSearch, data: tuple[Floats, Floats]) -> None:
    vectors, queries = data
    rows = np.array([59_999, 0, 123, 123])
    np.testing.assert_allclose(
        search.cosines_of(queries[0], rows), vectors[rows] @ queries[0], rtol=1e-5, atol=1e-6
    )


def test_below_the_threshold_the_scan_is_exact(data: tuple[Floats, Floats]) -> None:
    vectors, queries = data
    small = VectorSearch.build(vectors[:5_000], SETTINGS)
    assert not small.approximate
    for query in queries[:10]:
        rows, sims = small.search(query, 10)
        assert rows.tolist() == exact_top(vectors[:5_000], query, 10).tolist()
        np.testing.assert_allclose(sims, vectors[rows] @ query, rtol=1e-5, atol=1e-6)


def test_a_float16_memory_map_is_searched_without_a_float32_copy(tmp_path: Path) -> None:
    vectors, queries = clustered(12_000, 32, seed=5)
    np.save(tmp_path / "v.npy", vectors.astype(np.float16))
    mapped = np.load(tmp_path / "v.npy", mmap_mode="r")
    search = VectorSearch.build(mapped, SETTINGS)
    assert search.approximate and search.vectors is mapped
    rows, sims = search.search(queries[0], 10)
    np.testing.assert_allclose(sims, mapped[rows].astype(np.float32) @ queries[0], atol=1e-6)
    assert recall(rows, exact_top(vectors, queries[0], 10)) >= 0.7


def test_training_is_seeded_and_a_saved_index_answers_the_same(tmp_path: Path) -> None:
    vectors, queries = clustered(12_000, 32, seed=9)
    first = IvfIndex.build(vectors, SETTINGS)
    again = IvfIndex.build(vectors, SETTINGS)
    first.save(tmp_path / "v.ivf")
    loaded = IvfIndex.load(tmp_path / "v.ivf")
    assert (loaded.n_docs, loaded.dim, loaded.nlist) == (12_000, 32, cells_for(12_000))
    assert loaded.description == first.description == "IVF307,SQ8"
    for query in queries[:20]:
        ids = first.search(query, 20, nprobe=4).tolist()
        assert again.search(query, 20, nprobe=4).tolist() == ids
        assert loaded.search(query, 20, nprobe=4).tolist() == ids
    assert not list(tmp_path.glob("*.tmp"))


def test_ties_go_to_the_lower_row() -> None:
    assert top_k_any(np.array([0.5, 0.9, 0.9, 0.1], dtype=np.float32), 2).tolist() == [1, 2]


def test_cells_grow_with_the_square_root_but_keep_enough_training_points() -> None:
    assert cells_for(1_000_000) == 4000
    assert cells_for(50_000) == 894
    assert cells_for(1_000) == 25  # 4·√1000 = 126 cells would have 8 points each
    assert cells_for(10) == 1


def test_bad_shapes_are_refused(search: VectorSearch) -> None:
    with pytest.raises(InvalidInput, match="expected \\(64,\\)"):
        search.search(np.zeros(3, dtype=np.float32), 10)
    with pytest.raises(InvalidInput, match="allowed mask"):
        search.search(np.zeros(64, dtype=np.float32), 10, np.ones(3, dtype=bool))
    with pytest.raises(InvalidInput, match="at least 1"):
        AnnSettings(nprobe=0)


def test_the_scan_kept_for_one_query_is_never_served_for_another() -> None:
    """The exact scan keeps the last query's similarities (one text searched for three kinds
    of partner in turn): the same query gets them again, unchanged and read-only; another
    query gets its own."""
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = DenseIndex(vectors)
    first, second = vectors[3].copy(), vectors[4].copy()
    sims = exact.similarities(first)
    assert exact.similarities(first.copy()) is sims  # the same query: the kept scan
    assert not sims.flags.writeable
    other = exact.similarities(second)
    np.testing.assert_allclose(other, vectors @ second, rtol=1e-5)
    assert int(np.argmax(other)) == 4 and int(np.argmax(exact.similarities(first))) == 3
    kinds = [np.arange(500) < 250, np.arange(500) >= 250]
    for allowed in kinds:  # the masked searches of one query agree with a fresh scan each
        rows, best = VectorSearch(vectors).search(first, 5, allowed)
        assert allowed[rows].all()
        np.testing.assert_allclose(best, (vectors @ first)[rows], rtol=1e-5)
