"""The matching engine over files (`market search`, `market embed`): corpora and queries as
JSON lines, the engine builder and the resumable embedding job."""

from __future__ import annotations

from pathlib import Path

from fourchain.adapters.search.embeddings import DEFAULT_MODEL, MODELS, EmbeddingJob, make_embedder
from fourchain.adapters.search.engine import EngineBuilder
from fourchain.adapters.search.jsonl import read_corpus, read_queries
from fourchain.adapters.search.text import Analyzer, Profile
from fourchain.services.ports import EngineFactory

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "Profile",
    "embedding_job",
    "engine_builder",
    "read_corpus",
    "read_queries",
]

# Tokenising fans out to worker processes where it pays (a large corpus).
PARALLEL_FROM = 20_000


def engine_builder(
    model: str, embeddings: Path | None, analyzer: str, documents: int
) -> EngineFactory:
    """The engine factory for a corpus of `documents` records (an unknown analyzer name is one
    clear error)."""
    profile = Analyzer(analyzer).profile
    processes = 2 if documents >= PARALLEL_FROM else 1
    return EngineBuilder(model=model, embeddings=embeddings, profile=profile, processes=processes)


def embedding_job(
    out: Path, model: str, *, batch_size: int, shard_size: int, dtype: str
) -> EmbeddingJob:
    """A resumable embedding of a corpus into `out` (checkpointed shards)."""
    return EmbeddingJob(
        out, make_embedder(model), batch_size=batch_size, shard_size=shard_size, dtype=dtype
    )
