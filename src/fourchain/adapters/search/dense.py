"""Dense retrieval: cosine top-k over precomputed, normalised (memory-mapped) vectors.

`DenseIndex` is the exact scan; `VectorSearch` keeps it for small matrices and puts an IVF
index (`ann.IvfIndex`) in front of large ones, re-scoring the IVF's candidates exactly."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.ann import DEFAULT_ANN, AnnSettings, IvfIndex, as_float32
from fourchain.errors import InvalidInput

Floats = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Candidates = tuple[Ids, Floats]
_GATHER_CHUNK = 8192


class DenseIndex:
    """Vectors of documents 0..n-1 (L2-normalised), scored by one matrix product per query.

    Exact search: every row is read once per query by one BLAS matrix-vector product (10⁶ ×
    512 float32 is 2 GB: large matrices go through `VectorSearch`'s IVF index instead)."""

    def __init__(self, vectors: npt.NDArray[Any]) -> None:
        if vectors.ndim != 2:
            raise InvalidInput(f"vectors must be a 2-d matrix, got shape {vectors.shape}")
        # float16 halves the files, but numpy converts float16 to float32 element by element
        # (measured here: converting costs more than the scan itself), so scan a float32 copy
        # held once in memory; float32 files are scanned in place through the memory map.
        self.vectors = vectors if vectors.dtype == np.float32 else vectors.astype(np.float32)
        self.n_docs, self.dim = int(vectors.shape[0]), int(vectors.shape[1])
        # The last query's similarities: a demand's matches search one text for three kinds
        # of partner in turn, each a mask over the same scan (measured: 4 ms a scan of the
        # demo's 42,803 vectors, two of every three saved).
        self._last: tuple[bytes, Floats] | None = None

    @classmethod
    def open(cls, path: Path) -> DenseIndex:
        """Memory-map a .npy matrix (pages are read on demand and shared between processes)."""
        if not path.exists():
            raise InvalidInput(f"no vectors at {path}")
        return cls(np.load(path, mmap_mode="r"))

    def similarities(self, query: Floats) -> Floats:
        """Cosine of the (normalised) query with every document."""
        q = _checked(query, self.dim)
        key = q.tobytes()
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        sims = np.asarray(self.vectors @ q, dtype=np.float32)
        sims.flags.writeable = False  # shared by the searches of one query
        self._last = (key, sims)
        return sims

    def search(
        self, query: Floats, k: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> tuple[npt.NDArray[np.int64], Floats]:
        """Positions of the k most similar documents (best first) and all similarities."""
        sims = self.similarities(query)
        return top_k_any(sims, k, allowed), sims


class VectorSearch:
    """The k rows most similar to a query, with their exact cosines.

    Below `settings.min_vectors` rows: the exact scan. At or above: an IVF index (built here
    or given), whose refine × k candidates are re-scored exactly from the stored rows; a filter
    that allows few rows (at most `settings.exact_allowed`) scans those rows exactly, a wider
    one is passed to faiss as a bitmap, with nprobe raised in proportion (nprobe ÷ the
    allowed share) so the filtered search still sees about as many allowed rows."""

    def __init__(
        self,
        vectors: npt.NDArray[Any],
        settings: AnnSettings = DEFAULT_ANN,
        ivf: IvfIndex | None = None,
    ) -> None:
        if vectors.ndim != 2:
            raise InvalidInput(f"vectors must be a 2-d matrix, got shape {vectors.shape}")
        self.vectors = vectors
        self.settings = settings
        self.n_docs, self.dim = int(vectors.shape[0]), int(vectors.shape[1])
        if ivf is not None and (ivf.n_docs, ivf.dim) != (self.n_docs, self.dim):
            raise InvalidInput(
                f"an IVF index of {ivf.n_docs} × {ivf.dim} for vectors of {vectors.shape}"
            )
        self.ivf = ivf
        self._exact: DenseIndex | None = None

    @classmethod
    def build(cls, vectors: npt.NDArray[Any], settings: AnnSettings = DEFAULT_ANN) -> VectorSearch:
        """Exact below the threshold; otherwise train and fill an IVF index now."""
        ivf = IvfIndex.build(vectors, settings) if wants_ivf(len(vectors), settings) else None
        return cls(vectors, settings, ivf)

    @property
    def approximate(self) -> bool:
        return self.ivf is not None

    def search(self, query: Floats, k: int, allowed: Mask | None = None) -> Candidates:
        """Rows of the (up to) k best allowed cosines, best first (ties by row), and those
        cosines."""
        q = _checked(query, self.dim)
        if allowed is not None and allowed.shape != (self.n_docs,):
            raise InvalidInput(f"an allowed mask of {allowed.shape}, expected ({self.n_docs},)")
        if self.ivf is None:
            sims = self._exact_index().similarities(q)
            rows = top_k_any(sims, k, allowed)
            return rows, sims[rows]
        count = self.n_docs if allowed is None else int(np.count_nonzero(allowed))
        if count == 0 or k < 1:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if allowed is not None and count <= self.settings.exact_allowed:
            return self._best_of(q, np.flatnonzero(allowed), k)
        selected = None if count == self.n_docs else allowed
        nprobe = math.ceil(self.settings.nprobe * self.n_docs / count)
        rows = self.ivf.search(q, k * self.settings.refine, nprobe, selected)
        return self._best_of(q, np.sort(rows), k)

    def cosines_of(self, query: Floats, rows: npt.NDArray[np.integer[Any]]) -> Floats:
        """Exact cosines of the query with the given rows (gathered a chunk at a time)."""
        q = _checked(query, self.dim)
        rows = np.asarray(rows, dtype=np.int64)
        source = self._exact.vectors if self._exact is not None else self.vectors
        out = np.empty(rows.size, dtype=np.float32)
        for first in range(0, rows.size, _GATHER_CHUNK):
            part = rows[first : first + _GATHER_CHUNK]
            out[first : first + part.size] = as_float32(source[part]) @ q
        return out

    def _best_of(self, q: Floats, rows: Ids, k: int) -> Candidates:
        sims = self.cosines_of(q, rows)
        best = top_k_any(sims, k)  # rows are sorted, so ties go to the lower row
        return rows[best], sims[best]

    def _exact_index(self) -> DenseIndex:
        if self._exact is None:
            self._exact = DenseIndex(self.vectors)
        return self._exact


def wants_ivf(n: int, settings: AnnSettings = DEFAULT_ANN) -> bool:
    return n >= settings.min_vectors


def exact_similarities(vectors: npt.NDArray[Any], query: Floats) -> Floats:
    """Cosine of the query with every row, exactly (a float16 matrix a chunk at a time)."""
    q = _checked(query, int(vectors.shape[1]))
    if vectors.dtype == np.float32:
        return np.asarray(vectors @ q, dtype=np.float32)
    out = np.empty(len(vectors), dtype=np.float32)
    for first in range(0, len(vectors), _GATHER_CHUNK * 8):
        out[first : first + _GATHER_CHUNK * 8] = (
            as_float32(vectors[first : first + _GATHER_CHUNK * 8]) @ q
        )
    return out


def top_k_any(
    scores: Floats, k: int, allowed: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.int64]:
    """Positions of the k highest scores of the allowed ones (best first; ties by position)."""
    candidates = np.arange(scores.size) if allowed is None else np.flatnonzero(allowed)
    if candidates.size > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[part]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order].astype(np.int64)


def _checked(query: Floats, dim: int) -> Floats:
    if query.shape != (dim,):
        raise InvalidInput(f"query vector has shape {query.shape}, expected ({dim},)")
    return np.ascontiguousarray(query, dtype=np.float32)
