"""The persistent, incrementally updated search index: documents, BM25 and vectors by slot.

Every stored document version has a slot. Slots 0..M-1 form the main BM25 segment and the
main vector file; later slots (added or changed documents) form a small delta segment, built
with the main segment's statistics, and a tail vector file. A change makes a new slot and
marks the old one dead; a delete marks it dead. When the delta or the dead grow past a share
of the main segment, `merge` rebuilds one main segment from the live documents (vectors are
copied, never re-embedded).

Folder layout: manifest.json, documents.jsonl (one line per slot, appended), dead.json,
bm25-main/ (bm25s files), vectors-main.npy and vectors-tail.npy (when there are vectors).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.bm25 import (
    DEFAULT_PARAMS,
    Bm25Params,
    Segment,
    build_segment,
    build_segment_from_chunks,
)
from fourchain.adapters.search.columns import AttributeColumns, Mask
from fourchain.adapters.search.dense import DenseIndex
from fourchain.adapters.search.embeddings import Embedder, make_embedder
from fourchain.adapters.search.text import Analyzer, token_bags, token_chunks
from fourchain.domain.matching import Document, Filters
from fourchain.errors import InvalidInput, NotFound

Floats = npt.NDArray[np.float32]
FORMAT = 1


class SearchIndex:
    """Documents with a BM25 index and (optionally) their embeddings, kept up to date."""

    def __init__(
        self,
        analyzer: Analyzer,
        *,
        params: Bm25Params = DEFAULT_PARAMS,
        embedder: Embedder | None = None,
        merge_ratio: float = 0.1,
        merge_min: int = 1000,
    ) -> None:
        self.analyzer = analyzer
        self.params = params
        self.embedder = embedder
        self.merge_ratio = merge_ratio
        self.merge_min = merge_min
        self.folder: Path | None = None
        self.documents: list[Document] = []
        self._slot: dict[str, int] = {}
        self._dead: set[int] = set()
        self.main: Segment = build_segment([], params)
        self._tail_bags: dict[int, dict[str, int]] = {}
        self._delta: Segment = build_segment([], params)
        self._delta_slots: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._main_vectors: npt.NDArray[Any] | None = None
        self._tail_vectors: list[Floats] = []
        self._columns: AttributeColumns | None = None
        self._dense: DenseIndex | None = None

    # ---------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        analyzer: Analyzer,
        *,
        embedder: Embedder | None = None,
        vectors: npt.NDArray[Any] | None = None,
        processes: int = 1,
        params: Bm25Params = DEFAULT_PARAMS,
    ) -> SearchIndex:
        """Index documents in one go. `vectors` (rows in document order) are precomputed
        embeddings of `embedder`'s model; without them and with an embedder, the documents
        are embedded here."""
        index = cls(analyzer, params=params, embedder=embedder)
        index.documents = list(documents)
        for slot, document in enumerate(index.documents):
            if document.id in index._slot:
                raise InvalidInput(f"document id {document.id!r} appears twice")
            index._slot[document.id] = slot
        texts = (document.text for document in index.documents)
        chunks = token_chunks(texts, analyzer, processes=processes)
        index.main = build_segment_from_chunks(chunks, params)
        if vectors is not None:
            if len(vectors) != len(index.documents):
                raise InvalidInput(f"{len(vectors)} vectors for {len(index.documents)} documents")
            index._main_vectors = vectors
        elif embedder is not None:
            index._main_vectors = embedder.embed_documents([d.text for d in index.documents])
        return index

    @classmethod
    def from_parts(
        cls,
        documents: list[Document],
        main: Segment,
        analyzer: Analyzer,
        *,
        embedder: Embedder | None = None,
        vectors: npt.NDArray[Any] | None = None,
    ) -> SearchIndex:
        """An index over a segment built (or loaded) elsewhere, rows in document order."""
        if main.n_docs != len(documents):
            raise InvalidInput(f"a segment of {main.n_docs} rows for {len(documents)} documents")
        index = cls(analyzer, embedder=embedder)
        index.documents, index.main, index._main_vectors = documents, main, vectors
        index._slot = {document.id: slot for slot, document in enumerate(documents)}
        index._rebuild_delta()
        return index

    @property
    def main_size(self) -> int:
        return self.main.n_docs

    @property
    def slots(self) -> int:
        return len(self.documents)

    @property
    def has_vectors(self) -> bool:
        return self._main_vectors is not None

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot

    def slot_of(self, doc_id: str) -> int | None:
        return self._slot.get(doc_id)

    def document(self, doc_id: str) -> Document:
        slot = self._slot.get(doc_id)
        if slot is None:
            raise NotFound(f"no document {doc_id!r} in the index")
        return self.documents[slot]

    # ---------------------------------------------------------------- changes
    def upsert(self, documents: Sequence[Document]) -> None:
        """Add new documents and replace changed ones (a changed one gets a new slot)."""
        seen: set[str] = set()
        for document in documents:
            if document.id in seen:
                raise InvalidInput(f"document id {document.id!r} appears twice in one update")
            seen.add(document.id)
        new_vectors = None
        if self.has_vectors:
            if self.embedder is None:
                raise InvalidInput("this index has vectors: give it the embedder to update it")
            new_vectors = self.embedder.embed_documents([d.text for d in documents])
        first = self.slots
        for offset, document in enumerate(documents):
            old = self._slot.get(document.id)
            if old is not None:
                self._kill(old)
            slot = first + offset
            self.documents.append(document)
            self._slot[document.id] = slot
            self._tail_bags[slot] = next(token_bags([document.text], self.analyzer))
        if new_vectors is not None:
            self._tail_vectors.append(new_vectors)
        self._changed(appended=documents)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many were there."""
        removed = 0
        for doc_id in ids:
            slot = self._slot.pop(doc_id, None)
            if slot is not None:
                self._kill(slot)
                removed += 1
        if removed:
            self._changed(appended=[])
        return removed

    def _kill(self, slot: int) -> None:
        self._dead.add(slot)
        self._tail_bags.pop(slot, None)

    def _changed(self, appended: Sequence[Document]) -> None:
        self._columns = None
        if self.needs_merge:
            self.merge()
            return
        self._rebuild_delta()
        if self.folder is not None:
            self._persist_changes(appended)

    @property
    def needs_merge(self) -> bool:
        limit = max(self.merge_min, int(self.merge_ratio * self.main_size))
        return len(self._tail_bags) > limit or len(self._dead) > limit

    def _rebuild_delta(self) -> None:
        slots = sorted(self._tail_bags)
        self._delta_slots = np.asarray(slots, dtype=np.int64)
        bags = (self._tail_bags[slot] for slot in slots)
        self._delta = build_segment(bags, self.params, stats=self.main.stats())

    def merge(self) -> None:
        """Rebuild one main segment (and vector file) from the live documents."""
        live = sorted(self._slot.values())
        vectors = self._vectors_of(live) if self.has_vectors else None
        rebuilt = SearchIndex.build(
            [self.documents[slot] for slot in live],
            self.analyzer,
            embedder=self.embedder,
            vectors=vectors,
            params=self.params,
        )
        self.documents, self._slot, self.main = rebuilt.documents, rebuilt._slot, rebuilt.main
        self._main_vectors, self._tail_vectors = rebuilt._main_vectors, []
        self._dense = None
        self._dead, self._tail_bags = set(), {}
        self._rebuild_delta()
        self._columns = None
        if self.folder is not None:
            self.save(self.folder)

    # ---------------------------------------------------------------- scoring
    def live_mask(self, filters: Filters | None = None) -> Mask:
        """True for the live slots that pass the filters."""
        mask = np.ones(self.slots, dtype=np.bool_)
        if self._dead:
            mask[np.fromiter(self._dead, dtype=np.int64, count=len(self._dead))] = False
        if filters is not None and not filters.is_empty:
            if self._columns is None or self._columns.n != self.slots:
                self._columns = AttributeColumns(self.documents)
            mask &= self._columns.mask(filters)
        return mask

    def bm25_scores(self, query_bag: Mapping[str, int]) -> Floats:
        """BM25 score of every slot (dead slots included; mask them)."""
        main = self.main.scores(query_bag)
        if self.slots == self.main_size:
            return main
        out = np.zeros(self.slots, dtype=np.float32)
        out[: self.main_size] = main
        if self._delta_slots.size:
            out[self._delta_slots] = self._delta.scores(query_bag)
        return out

    def cosines(self, query_vector: Floats) -> Floats:
        """Cosine of the query with every slot's vector."""
        if self._main_vectors is None:
            raise InvalidInput("this index has no embeddings: build it with a model for hybrid")
        if self._dense is None or self._dense.n_docs != self.main_size:
            self._dense = DenseIndex(self._main_vectors)
        main = self._dense.similarities(query_vector)
        if not self._tail_vectors:
            return main
        tail = np.concatenate(self._tail_vectors) @ query_vector.astype(np.float32)
        return np.concatenate([main, tail.astype(np.float32)])

    def _vectors_of(self, slots: Sequence[int]) -> Floats:
        assert self._main_vectors is not None
        out = np.empty((len(slots), self._main_vectors.shape[1]), dtype=np.float32)
        tail = np.concatenate(self._tail_vectors) if self._tail_vectors else None
        for row, slot in enumerate(slots):
            if slot < self.main_size:
                out[row] = self._main_vectors[slot]
            else:
                assert tail is not None
                out[row] = tail[slot - self.main_size]
        return out

    # ---------------------------------------------------------------- persistence
    def save(self, folder: Path) -> None:
        """Write the whole index to folder (and keep it there: later changes persist)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.main.save(folder / "bm25-main")
        with open(folder / "documents.jsonl", "w", encoding="utf-8") as out:
            for document in self.documents:
                out.write(json.dumps(document.as_json(), ensure_ascii=False) + "\n")
        if self._main_vectors is not None:
            np.save(folder / "vectors-main.npy", np.asarray(self._main_vectors))
        self.folder = folder
        self._persist_changes([])
        _write_json(folder / "manifest.json", self._manifest())

    def _manifest(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "analyzer": self.analyzer.profile.value,
            "k1": self.params.k1,
            "b": self.params.b,
            "model": self.embedder.name if self.embedder and self.has_vectors else None,
            "main_size": self.main_size,
        }

    def _persist_changes(self, appended: Sequence[Document]) -> None:
        assert self.folder is not None
        if appended:
            with open(self.folder / "documents.jsonl", "a", encoding="utf-8") as out:
                for document in appended:
                    out.write(json.dumps(document.as_json(), ensure_ascii=False) + "\n")
        _write_json(self.folder / "dead.json", sorted(self._dead))
        if self._tail_vectors:
            np.save(self.folder / "vectors-tail.npy", np.concatenate(self._tail_vectors))

    @classmethod
    def open(cls, folder: Path, *, embedder: Embedder | None = None) -> SearchIndex:
        """Load an index saved with `save` (BM25 arrays and vectors are memory-mapped)."""
        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            raise NotFound(f"no search index in {folder} (manifest.json is missing)")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise InvalidInput(f"{folder}: index format {manifest.get('format')}, need {FORMAT}")
        model = manifest.get("model")
        if embedder is None and model:
            embedder = make_embedder(str(model))
        index = cls(
            Analyzer(str(manifest["analyzer"])),
            params=Bm25Params(float(manifest["k1"]), float(manifest["b"])),
            embedder=embedder,
        )
        index.main = Segment.load(folder / "bm25-main")
        with open(folder / "documents.jsonl", encoding="utf-8") as lines:
            index.documents = [Document.from_json(json.loads(line)) for line in lines]
        index._dead = set(json.loads((folder / "dead.json").read_text(encoding="utf-8")))
        for slot, document in enumerate(index.documents):
            if slot not in index._dead:
                index._slot[document.id] = slot
        if model:
            index._main_vectors = np.load(folder / "vectors-main.npy", mmap_mode="r")
            tail = folder / "vectors-tail.npy"
            if index.slots > index.main_size and tail.exists():
                index._tail_vectors = [np.load(tail)]
        index._tail_bags = {
            slot: next(token_bags([index.documents[slot].text], index.analyzer))
            for slot in range(index.main_size, index.slots)
            if slot not in index._dead
        }
        index._rebuild_delta()
        index.folder = folder
        return index


def _write_json(path: Path, data: object) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)
