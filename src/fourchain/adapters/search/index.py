"""The persistent, incrementally updated search index: documents, BM25 and vectors by slot.

Every stored document version has a slot. Slots 0..M-1 form the main BM25 segment and the
main vector file; later slots (added or changed documents) form a small delta segment, built
with the main segment's statistics, and a tail vector file. A change makes a new slot and
marks the old one dead; a delete marks it dead. When the delta or the dead grow past a share
of the main segment, `merge` rebuilds one main segment from the live documents (vectors are
copied, never re-embedded).

Folder layout: manifest.json, documents.jsonl (one line per slot, appended), dead.json,
bm25-main/ (bm25s files), vectors-main.npy and vectors-tail.npy (when there are vectors), and
vectors-main.ivf: the faiss IVF index of the main vectors, when there are at least
`AnnSettings.min_vectors` of them (rebuilt at open when missing). Tail vectors are scanned
exactly.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fourchain.adapters.search.ann import DEFAULT_ANN, AnnSettings, IvfIndex
from fourchain.adapters.search.bm25 import (
    DEFAULT_PARAMS,
    Bm25Params,
    Segment,
    build_segment,
    build_segment_from_chunks,
)
from fourchain.adapters.search.columns import AttributeColumns, Mask
from fourchain.adapters.search.dense import VectorSearch, exact_similarities, top_k_any, wants_ivf
from fourchain.adapters.search.embeddings import Embedder, make_embedder
from fourchain.adapters.search.text import Analyzer, token_bags, token_chunks
from fourchain.domain.matching import Document, Filters
from fourchain.errors import InvalidInput, NotFound

Floats = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]
FORMAT = 1
IVF_FILE = "vectors-main.ivf"


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
        ann: AnnSettings = DEFAULT_ANN,
    ) -> None:
        self.analyzer = analyzer
        self.params = params
        self.embedder = embedder
        self.merge_ratio = merge_ratio
        self.merge_min = merge_min
        self.ann = ann
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
        self._vector_search: VectorSearch | None = None
        self._tail_matrix: Floats | None = None

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
        ann: AnnSettings = DEFAULT_ANN,
    ) -> SearchIndex:
        """Index documents in one go. `vectors` (rows in document order) are precomputed
        embeddings of `embedder`'s model; without them and with an embedder, the documents
        are embedded here. With at least `ann.min_vectors` vectors, their IVF index is
        trained and filled here too."""
        index = cls(analyzer, params=params, embedder=embedder, ann=ann)
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
        index._index_main_vectors()
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
        ann: AnnSettings = DEFAULT_ANN,
    ) -> SearchIndex:
        """An index over a segment built (or loaded) elsewhere, rows in document order (the
        vectors' IVF index, if they need one, is built here)."""
        if main.n_docs != len(documents):
            raise InvalidInput(f"a segment of {main.n_docs} rows for {len(documents)} documents")
        if vectors is not None and len(vectors) != len(documents):
            raise InvalidInput(f"{len(vectors)} vectors for {len(documents)} documents")
        index = cls(analyzer, embedder=embedder, ann=ann)
        index.documents, index.main, index._main_vectors = documents, main, vectors
        index._slot = {document.id: slot for slot, document in enumerate(documents)}
        index._index_main_vectors()
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

    @property
    def approximate(self) -> bool:
        """True when the main vectors are searched through an IVF index."""
        return self.ivf is not None

    @property
    def ivf(self) -> IvfIndex | None:
        """The main vectors' IVF index (None: they are scanned exactly)."""
        return None if self._vector_search is None else self._vector_search.ivf

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
            self._tail_matrix = None
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
            ann=self.ann,
        )
        self.documents, self._slot, self.main = rebuilt.documents, rebuilt._slot, rebuilt.main
        self._main_vectors, self._tail_vectors = rebuilt._main_vectors, []
        self._vector_search, self._tail_matrix = rebuilt._vector_search, None
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

    def dense_candidates(
        self, query_vector: Floats, k: int, allowed: Mask | None = None
    ) -> tuple[Ids, Floats]:
        """The k allowed slots most similar to the query (best first, ties by slot) and their
        exact cosines: the main vectors through `VectorSearch` (an IVF index when large),
        the tail scanned exactly. Without `allowed`, every live slot is allowed."""
        search = self._main_search()
        if allowed is None:
            allowed = self.live_mask()
        if allowed.shape != (self.slots,):
            raise InvalidInput(f"an allowed mask of {allowed.shape}, expected ({self.slots},)")
        q = np.ascontiguousarray(query_vector, dtype=np.float32)
        slots, sims = search.search(q, k, allowed[: self.main_size])
        tail = self._tail()
        if tail is None:
            return slots, sims
        tail_sims = np.asarray(tail @ q, dtype=np.float32)
        best = top_k_any(tail_sims, k, allowed[self.main_size : self.main_size + len(tail)])
        slots = np.concatenate([slots, best + self.main_size])
        sims = np.concatenate([sims, tail_sims[best]])
        order = top_k_any(sims, k)  # main slots come first, so ties still go to the lower slot
        return slots[order], sims[order]

    def cosines_of(self, query_vector: Floats, slots: Sequence[int] | Ids) -> Floats:
        """Exact cosines of the query with the given slots' vectors (a few dot products)."""
        search = self._main_search()
        q = np.ascontiguousarray(query_vector, dtype=np.float32)
        wanted = np.asarray(slots, dtype=np.int64)
        out = np.empty(wanted.size, dtype=np.float32)
        in_main = wanted < self.main_size
        out[in_main] = search.cosines_of(q, wanted[in_main])
        if not in_main.all():
            tail = self._tail()
            assert tail is not None
            out[~in_main] = tail[wanted[~in_main] - self.main_size] @ q
        return out

    def cosines(self, query_vector: Floats) -> Floats:
        """Cosine of the query with every slot's vector: an exact scan of all of them (for
        evaluation; searches use `dense_candidates`)."""
        if self._main_vectors is None:
            raise InvalidInput("this index has no embeddings: build it with a model for hybrid")
        main = exact_similarities(self._main_vectors, query_vector)
        tail = self._tail()
        if tail is None:
            return main
        return np.concatenate([main, (tail @ query_vector.astype(np.float32)).astype(np.float32)])

    def _main_search(self) -> VectorSearch:
        if self._main_vectors is None:
            raise InvalidInput("this index has no embeddings: build it with a model for hybrid")
        if self._vector_search is None or self._vector_search.n_docs != self.main_size:
            self._index_main_vectors()
        assert self._vector_search is not None
        return self._vector_search

    def _index_main_vectors(self, ivf: IvfIndex | None = None) -> None:
        """Put a VectorSearch over the main vectors (training an IVF index if it needs one
        and none is given)."""
        if self._main_vectors is None:
            self._vector_search = None
        elif ivf is not None or not wants_ivf(len(self._main_vectors), self.ann):
            self._vector_search = VectorSearch(self._main_vectors, self.ann, ivf)
        else:
            self._vector_search = VectorSearch.build(self._main_vectors, self.ann)

    def _tail(self) -> Floats | None:
        """The tail vectors as one float32 matrix (None without any)."""
        if not self._tail_vectors:
            return None
        if self._tail_matrix is None:
            self._tail_matrix = np.ascontiguousarray(
                np.concatenate(self._tail_vectors), dtype=np.float32
            )
        return self._tail_matrix

    def vectors_of(self, slots: Sequence[int]) -> Floats:
        """The stored vectors of the given slots, as float32 rows."""
        if self._main_vectors is None:
            raise InvalidInput("this index has no embeddings")
        return self._vectors_of(slots)

    def _vectors_of(self, slots: Sequence[int]) -> Floats:
        assert self._main_vectors is not None
        wanted = np.asarray(slots, dtype=np.int64)
        out = np.empty((wanted.size, self._main_vectors.shape[1]), dtype=np.float32)
        in_main = wanted < self.main_size
        out[in_main] = self._main_vectors[wanted[in_main]]
        if not in_main.all():
            tail = self._tail()
            assert tail is not None
            out[~in_main] = tail[wanted[~in_main] - self.main_size]
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
            _save_npy(folder / "vectors-main.npy", self._main_vectors)
        self._save_ivf(folder)
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
        tail = self._tail()
        if tail is not None:
            _save_npy(self.folder / "vectors-tail.npy", tail)

    def _save_ivf(self, folder: Path) -> None:
        """Write the main vectors' IVF index, or remove a stale one."""
        search = self._vector_search
        if search is not None and search.ivf is not None:
            search.ivf.save(folder / IVF_FILE)
        else:
            (folder / IVF_FILE).unlink(missing_ok=True)

    @classmethod
    def open(
        cls, folder: Path, *, embedder: Embedder | None = None, ann: AnnSettings = DEFAULT_ANN
    ) -> SearchIndex:
        """Load an index saved with `save` (BM25 arrays and vectors are memory-mapped; the IVF
        index is read, or rebuilt and written when missing or not matching the vectors)."""
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
            ann=ann,
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
            index._open_ivf(folder)
        index._tail_bags = {
            slot: next(token_bags([index.documents[slot].text], index.analyzer))
            for slot in range(index.main_size, index.slots)
            if slot not in index._dead
        }
        index._rebuild_delta()
        index.folder = folder
        return index

    def _open_ivf(self, folder: Path) -> None:
        """Read the saved IVF index if the main vectors need one; rebuild it (and write it
        back) when it is missing, unreadable or of other vectors."""
        if self._main_vectors is None or not wants_ivf(len(self._main_vectors), self.ann):
            self._index_main_vectors()
            return
        path = folder / IVF_FILE
        n, dim = self._main_vectors.shape
        if path.exists():
            try:
                ivf = IvfIndex.load(path)
            except RuntimeError:  # faiss refuses a damaged file
                ivf = None
            if ivf is not None and (ivf.n_docs, ivf.dim) == (n, dim):
                self._index_main_vectors(ivf)
                return
        self._index_main_vectors()
        # faiss reports a file it cannot write as a RuntimeError
        with contextlib.suppress(OSError, RuntimeError):  # read-only: keep it in memory only
            self._save_ivf(folder)


def _save_npy(path: Path, array: npt.NDArray[Any]) -> None:
    """np.save through a temporary file renamed over the old one: the old file may be the very
    memory map being written out (an index opened from and saved to the same folder)."""
    temporary = path.with_name(path.name + ".tmp.npy")
    np.save(temporary, np.asarray(array))
    os.replace(temporary, path)


def _write_json(path: Path, data: object) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)
