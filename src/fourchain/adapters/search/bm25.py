"""BM25 with bm25s: a streaming index builder, save/load, and scoring in bm25s's own format.

bm25s's `index()` holds every document's token list as Python objects at once (many GB at a
million records), so segments are built here chunk by chunk into the same CSC score matrix
bm25s builds (Lucene variant: idf = ln(1 + (N − df + ½)/(df + ½)), tf part
tf / (tf + k1·(1 − b + b·|d|/avgdl))), and saved and loaded by bm25s. Scoring adds each query
term's column with a fancy-indexed `+=`, which is exact because a column holds each document
once, and several times faster than bm25s's `np.add.at`.

Two builders give the same matrix: `build_segment` from token bags (small delta segments,
any caller with its own tokens) and `build_segment_from_chunks` from the integer-keyed chunks
of `text.token_chunks` (a whole corpus: no Python object per token or per posting).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from fourchain.adapters.search.text import WORD_KEY, ChunkTokens, cjk_token_strings
from fourchain.errors import InvalidInput

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Bm25Params:
    k1: float = 1.5
    b: float = 0.75

    def __post_init__(self) -> None:
        if self.k1 <= 0 or not 0 <= self.b <= 1:
            raise InvalidInput(f"BM25 needs k1 > 0 and 0 ≤ b ≤ 1, got k1={self.k1}, b={self.b}")


DEFAULT_PARAMS = Bm25Params()


@dataclass(frozen=True)
class CorpusStats:
    """The statistics a segment's scores were computed with: a delta segment borrows the
    main segment's, so that scores of both are on one scale until the next rebuild."""

    n_docs: int
    avgdl: float
    df: Mapping[str, int]


class Segment:
    """One immutable BM25 segment: a bm25s model whose rows are documents 0..n-1."""

    def __init__(self, model: bm25s.BM25, avgdl: float) -> None:
        self.model = model
        self.avgdl = avgdl
        self.vocab: dict[str, int] = model.vocab_dict
        scores = model.scores
        self.n_docs = int(scores["num_docs"])
        self._data: Floats = scores["data"]
        self._indices: npt.NDArray[np.int32] = scores["indices"]
        self._indptr: Ints = scores["indptr"]

    def df(self, token: str) -> int:
        column = self.vocab.get(token)
        if column is None:
            return 0
        return int(self._indptr[column + 1] - self._indptr[column])

    def stats(self) -> CorpusStats:
        return CorpusStats(self.n_docs, self.avgdl, _LazyDf(self))

    def scores(self, query: Mapping[str, int]) -> Floats:
        """BM25 score of every document for a bag of query tokens (token → count)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for token, count in query.items():
            column = self.vocab.get(token)
            if column is None:
                continue
            start, end = int(self._indptr[column]), int(self._indptr[column + 1])
            values = self._data[start:end]
            out[self._indices[start:end]] += values if count == 1 else values * count
        return out

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save(str(folder), show_progress=False)
        (folder / "segment.json").write_text(
            json.dumps({"avgdl": self.avgdl, "n_docs": self.n_docs}), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> Segment:
        meta_path = folder / "segment.json"
        if not meta_path.exists():
            raise InvalidInput(f"{folder}: not a BM25 segment (segment.json is missing)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder), mmap=mmap, show_progress=False, verbosity=0)
        return cls(model, float(meta["avgdl"]))


class _LazyDf(Mapping[str, int]):
    """Document frequencies read from a segment's CSC column lengths, without a copy."""

    def __init__(self, segment: Segment) -> None:
        self._segment = segment

    def __getitem__(self, token: str) -> int:
        return self._segment.df(token)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._segment.vocab)

    def __len__(self) -> int:
        return len(self._segment.vocab)


def build_segment(
    bags: Iterable[Mapping[str, int]],
    params: Bm25Params = DEFAULT_PARAMS,
    *,
    stats: CorpusStats | None = None,
) -> Segment:
    """Build a segment from token bags (one per document, in row order), streaming.

    With `stats`, idf and avgdl come from that corpus plus this one (a delta segment)."""
    vocab: dict[str, int] = {}
    columns = array("i")
    counts = array("f")
    lengths = array("f")
    indptr = array("q", [0])
    for bag in bags:
        columns.extend([vocab.setdefault(token, len(vocab)) for token in bag])
        counts.extend(bag.values())
        lengths.append(float(sum(bag.values())))
        indptr.append(len(columns))
    n_docs = len(lengths)
    doc_len = np.frombuffer(lengths, dtype=np.float32)
    cols = np.frombuffer(columns, dtype=np.int32)
    data = np.frombuffer(counts, dtype=np.float32).copy()
    rows_ptr = np.frombuffer(indptr, dtype=np.int64)
    del counts
    local_df = np.bincount(cols, minlength=len(vocab)).astype(np.float64)
    if stats is None:
        total_docs = n_docs
        avgdl = float(doc_len.mean()) if n_docs else 1.0
        df = local_df
    else:
        total_docs = stats.n_docs + n_docs
        avgdl = stats.avgdl if stats.n_docs else float(doc_len.mean() if n_docs else 1.0)
        outside = np.fromiter((stats.df.get(t, 0) for t in vocab), np.float64, len(vocab))
        df = local_df + outside
    idf = _idf(total_docs, df)
    # In place, a block of rows at a time, so the per-entry document length never exists
    # for the whole corpus at once.
    block = 50_000
    for first in range(0, n_docs, block):
        last = min(first + block, n_docs)
        start, end = int(rows_ptr[first]), int(rows_ptr[last])
        per_doc = np.diff(rows_ptr[first : last + 1])
        norm = _length_norm(doc_len[first:last], avgdl, params)
        tf = data[start:end]
        tf /= tf + np.repeat(norm, per_doc)
        tf *= idf[cols[start:end]]
    csc = sp.csr_matrix((data, cols, rows_ptr), shape=(n_docs, max(len(vocab), 1))).tocsc()
    del data, cols
    return _segment(csc.data, csc.indices, csc.indptr, n_docs, vocab, avgdl, params)


def _idf(total_docs: int, df: npt.NDArray[np.float64]) -> Floats:
    return np.log1p((total_docs - df + 0.5) / (df + 0.5)).astype(np.float32)


def _length_norm(doc_len: Floats, avgdl: float, params: Bm25Params) -> Floats:
    """k1·(1 − b + b·|d|/avgdl) per document, in float32."""
    norm = params.k1 * (1 - params.b + params.b * doc_len / max(avgdl, 1e-9))
    return norm.astype(np.float32)


def _segment(
    data: npt.NDArray[np.floating[Any]],
    indices: npt.NDArray[np.integer[Any]],
    indptr: npt.NDArray[np.integer[Any]],
    n_docs: int,
    vocab: dict[str, int],
    avgdl: float,
    params: Bm25Params,
) -> Segment:
    model = bm25s.BM25(k1=params.k1, b=params.b, method="lucene")
    model.scores = {
        "data": data.astype(np.float32, copy=False),
        "indices": indices.astype(np.int32, copy=False),
        "indptr": indptr.astype(np.int64, copy=False),
        "num_docs": n_docs,
    }
    model.vocab_dict = vocab
    model.unique_token_ids_set = set(vocab.values())
    model.nonoccurrence_array = None
    return Segment(model, avgdl)


class _Vocabulary:
    """Token keys → columns across chunks: CJK keys in a sorted array (one searchsorted per
    chunk), word strings in a dict. Columns are numbered in order of first sight."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint64)  # ascending
        self.key_columns = np.zeros(0, dtype=np.int32)  # aligned with keys
        self.words: dict[str, int] = {}
        self.size = 0

    def columns(self, chunk: ChunkTokens) -> npt.NDArray[np.int32]:
        """The column of each of the chunk's keys (new keys get new columns)."""
        split = int(np.searchsorted(chunk.keys, np.uint64(WORD_KEY)))
        cjk = chunk.keys[:split]
        out = np.empty(chunk.keys.size, dtype=np.int32)
        position = np.searchsorted(self.keys, cjk)
        known = position < self.keys.size
        known[known] = self.keys[position[known]] == cjk[known]
        out[:split][known] = self.key_columns[position[known]]
        new = ~known
        count = int(new.sum())
        if count:
            fresh = np.arange(self.size, self.size + count, dtype=np.int32)
            out[:split][new] = fresh
            self.keys = np.insert(self.keys, position[new], cjk[new])
            self.key_columns = np.insert(self.key_columns, position[new], fresh)
            self.size += count
        words = self.words
        offsets = (chunk.keys[split:] - np.uint64(WORD_KEY)).tolist()
        for i, offset in enumerate(offsets, start=split):
            column = words.setdefault(chunk.words[offset], self.size)
            if column == self.size:
                self.size += 1
            out[i] = column
        return out

    def tokens(self) -> dict[str, int]:
        """Token → column, in column order."""
        names: list[str] = [""] * self.size
        cjk = zip(cjk_token_strings(self.keys), self.key_columns.tolist(), strict=True)
        for name, column in cjk:
            names[column] = name
        for name, column in self.words.items():
            names[column] = name
        return {name: column for column, name in enumerate(names)}


@dataclass
class _Postings:
    """One chunk's postings kept until the end: columns and sizes per key, rows and counts."""

    first_row: int
    columns: npt.NDArray[np.int32]
    sizes: npt.NDArray[np.int64]
    rows: npt.NDArray[np.unsignedinteger[Any]]
    counts: npt.NDArray[np.unsignedinteger[Any]]


def build_segment_from_chunks(
    chunks: Iterable[ChunkTokens], params: Bm25Params = DEFAULT_PARAMS
) -> Segment:
    """Build a segment from `token_chunks` (documents in row order): the very matrix, scores
    and vocabulary `build_segment` makes from the same documents' token bags, except that
    columns are numbered differently (a test compares them token by token).

    Each chunk's keys are mapped to columns as it arrives (so with worker processes, this
    runs while they tokenise the next chunks) and its postings are kept, two small integers
    each. At the end the score of every posting is computed and written straight to its
    place in the CSC arrays: a counting sort by column, with no CSR copy."""
    vocabulary = _Vocabulary()
    kept: list[_Postings] = []
    lengths: list[npt.NDArray[np.int64]] = []
    n_docs = 0
    for chunk in chunks:
        columns = vocabulary.columns(chunk)
        kept.append(_Postings(n_docs, columns, chunk.postings, chunk.docs, chunk.counts))
        lengths.append(chunk.lengths)
        n_docs += chunk.n_docs
    doc_len = np.concatenate(lengths).astype(np.float32) if lengths else np.zeros(0, np.float32)
    del lengths
    avgdl = float(doc_len.mean()) if n_docs else 1.0
    n_columns = max(vocabulary.size, 1)
    df = np.zeros(n_columns, dtype=np.int64)
    for postings in kept:
        df[postings.columns] += postings.sizes  # a chunk holds each column once
    indptr = np.zeros(n_columns + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    idf = _idf(n_docs, df.astype(np.float64))
    norm = _length_norm(doc_len, avgdl, params)
    del doc_len
    total = int(indptr[-1])
    data = np.empty(total, dtype=np.float32)
    indices = np.empty(total, dtype=np.int32)
    fill = indptr[:-1].copy()  # the next free place in each column
    kept.reverse()
    while kept:
        postings = kept.pop()  # chunks in row order, so every column's rows ascend
        sizes = postings.sizes
        start_in_chunk = np.cumsum(sizes) - sizes
        place = np.repeat(fill[postings.columns] - start_in_chunk, sizes)
        place += np.arange(place.size)
        fill[postings.columns] += sizes
        rows = postings.rows.astype(np.int32)
        rows += postings.first_row
        tf = postings.counts.astype(np.float32)
        tf /= tf + norm[rows]
        tf *= np.repeat(idf[postings.columns], sizes)
        indices[place] = rows
        data[place] = tf
        del postings, place, rows, tf
    return _segment(data, indices, indptr, n_docs, vocabulary.tokens(), avgdl, params)


def top_k(scores: Floats, k: int, allowed: npt.NDArray[np.bool_] | None = None) -> Ints:
    """Positions of the k highest positive scores (best first; ties by position)."""
    candidates = np.flatnonzero(scores > 0)
    if allowed is not None:
        candidates = candidates[allowed[candidates]]
    if candidates.size > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[part]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order].astype(np.int64)
