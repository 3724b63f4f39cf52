"""Cached embeddings of the CSL records and their queries, for eval_csl.py and its tuning.

Each (model, role, texts) triple is embedded once into `<cache>/<model>/<role>-<digest>.npy`;
the digest covers the texts, so a changed query set is embedded afresh. Passages go through
`embed_documents`, queries through `embed_queries` (e5 prefixes them differently).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.embeddings import make_embedder

Floats = npt.NDArray[np.float32]


def cached_vectors(
    model: str, role: str, texts: Sequence[str], cache: Path, batch: int = 32
) -> Floats:
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / model / f"{role}-{digest}.npy"
    if path.exists():
        out: Floats = np.load(path).astype(np.float32)
        return out
    embedder = make_embedder(model)
    embed = embedder.embed_documents if role == "passages" else embedder.embed_queries
    parts = []
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        parts.append(embed(list(texts[start : start + batch])))
        done = min(start + batch, len(texts))
        print(
            f"\r  {model} {role}: {done}/{len(texts)} ({time.perf_counter() - started:.0f} s)",
            end="",
            file=sys.stderr,
            flush=True,
        )
    print(file=sys.stderr)
    vectors = np.concatenate(parts).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path.with_suffix(".tmp.npy"), vectors)
    path.with_suffix(".tmp.npy").replace(path)
    return vectors
