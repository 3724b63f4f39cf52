"""The hybrid searcher applies the fusion's feedback with the index's stored vectors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer
from fourchain.domain.matching import Document
from fourchain.domain.matching.calibration import MODELS
from fourchain.domain.matching.fusion import Evidence, Feedback, LogisticModel, QueryKind

QUERY = "固态锂电池电解质"
DOCUMENTS = [
    Document("a", {"abstract": "固态锂电池电解质的制备与离子电导率"}),  # the record described
    Document("b", {"abstract": "锂电池回收中的电解质处理工艺"}),  # the query's words, other topic
    Document("c", {"abstract": "固态电池硫化物材料的界面稳定性"}),  # fewer words, a's topic
    Document("d", {"abstract": "水稻抗病育种的分子标记"}),
]
VECTORS = np.array(
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.95, 0.0, 0.31], [0.0, 0.0, 1.0]], dtype=np.float32
)


class FixedEmbedder:
    """The stored vectors above; every query lies between a and b, nearer a."""

    name, dim = "fixed-3", 3

    def embed_documents(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return VECTORS[: len(texts)]

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        query = np.array([0.8, 0.6, 0.0], dtype=np.float32)
        return np.tile(query, (len(texts), 1))


def _ranking(model: LogisticModel, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setitem(MODELS, (QueryKind.TITLE, Evidence.HYBRID), model)
    index = SearchIndex.build(DOCUMENTS, Analyzer(), embedder=FixedEmbedder(), vectors=VECTORS)
    return [m.id for m in HybridSearcher(index).search(Request(QUERY, mode=Mode.HYBRID))]


WEIGHTS = (2.0, 2.0, 1.0, 1.0)


def test_without_feedback_the_query_words_order_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _ranking(LogisticModel(0.0, WEIGHTS), monkeypatch)[:3] == ["a", "b", "c"]


def test_feedback_brings_the_records_like_the_sure_first_one_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = LogisticModel(0.0, WEIGHTS, 1.0, Feedback(0.3, 5.0))
    assert _ranking(model, monkeypatch)[:3] == ["a", "c", "b"]
