"""Vectorised filter masks agree with the domain's Filters.accepts, and dense top-k."""

from __future__ import annotations

import numpy as np
import pytest

from fourchain.adapters.search.columns import AttributeColumns
from fourchain.adapters.search.dense import DenseIndex, top_k_any
from fourchain.domain.matching import Attributes, Document, DocumentKind, Filters
from fourchain.errors import InvalidInput

DOCUMENTS = [
    Document(
        "a", {"t": "x"}, DocumentKind.ACHIEVEMENT, Attributes("新能源", 6, "已授权", "集美区")
    ),
    Document(
        "b", {"t": "x"}, DocumentKind.ACHIEVEMENT, Attributes("新材料", 3, "申请中", "思明区")
    ),
    Document("c", {"t": "x"}, DocumentKind.EXPERT, Attributes("新能源", None, "", "集美区")),
    Document("d", {"t": "x"}, DocumentKind.ENTERPRISE, Attributes()),
]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(kinds=frozenset({DocumentKind.EXPERT, DocumentKind.ENTERPRISE})),
        Filters(fields=frozenset({"新能源"})),
        Filters(fields=frozenset({"不存在"})),
        Filters(trl_min=4),
        Filters(trl_max=5),
        Filters(ip_statuses=frozenset({"申请中"})),
        Filters(districts=frozenset({"集美区"}), trl_min=1, trl_max=9),
    ],
)
def test_the_vectorised_mask_agrees_with_the_domain_rule(filters: Filters) -> None:
    mask = AttributeColumns(DOCUMENTS).mask(filters)
    assert mask.tolist() == [filters.accepts_document(d) for d in DOCUMENTS]


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_dense_search_finds_the_most_similar_vectors(dtype: type) -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = DenseIndex(vectors.astype(dtype))
    positions, sims = index.search(vectors[42], 3)
    assert positions[0] == 42
    assert sims[42] == pytest.approx(1.0, abs=1e-3)
    allowed = np.ones(300, dtype=bool)
    allowed[42] = False
    assert 42 not in index.search(vectors[42], 3, allowed)[0].tolist()


def test_a_query_of_the_wrong_dimension_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expected \\(4,\\)"):
        DenseIndex(np.zeros((2, 4), dtype=np.float32)).similarities(np.zeros(3, np.float32))


def test_top_k_any_breaks_ties_by_position() -> None:
    assert top_k_any(np.array([1, 3, 3, 2], dtype=np.float32), 3).tolist() == [1, 2, 3]
