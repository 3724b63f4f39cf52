"""The market's persistent matching index: a SearchIndex in a folder, kept in step with the
database by `sync` (only changed records are re-tokenised and re-embedded), shared safely by
the processes of one deployment (the web server, CLI commands).

Folder layout: `CURRENT` names the active generation folder (`gen-000001/`, …) holding a saved
SearchIndex; `embedding-job/` holds a resumable embedding job's shards. A change is applied in
memory, then saved as a new generation and published by replacing `CURRENT` atomically, so a
reader never sees a half-written index and never has a file truncated under its memory map.
Writers take an exclusive `fcntl` lock on `.lock`; a process whose generation is older than
`CURRENT` reloads before it changes anything. A generation may also hold `answers.json`: the
answers of the records' own matches pages, computed ahead by the job worker (`keep_answers`)
for that generation and read by every process that serves it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from fourchain.adapters.search.dense import Floats
from fourchain.adapters.search.embeddings import (
    DEFAULT_MODEL,
    Embedder,
    EmbeddingJob,
    make_embedder,
)
from fourchain.adapters.search.engine import vectors_for
from fourchain.adapters.search.hybrid import HybridSearcher, Mode, Request
from fourchain.adapters.search.index import SearchIndex
from fourchain.adapters.search.text import Analyzer, Profile
from fourchain.domain.matching import (
    AnswerRequest,
    Document,
    DocumentKind,
    Explanation,
    Filters,
    Match,
)
from fourchain.errors import InvalidInput
from fourchain.services.caching import Memo

Progress = Callable[[int, int], None]
# Searches answered from memory per generation: a demand's matches page is asked for again and
# again (each viewer, each reload) while the index, published once, never changes under it.
SEARCHES_KEPT = 1024
QUERIES_KEPT = 256
SearchKey = tuple[object, ...]
ANSWERS_FILE = "answers.json"
QUERY_BATCH = 64  # query texts embedded at once while answering ahead


@dataclass(frozen=True)
class SyncReport:
    added: int
    changed: int
    removed: int
    size: int

    def __str__(self) -> str:
        return (
            f"{self.size} records; added {self.added}, changed {self.changed}, "
            f"removed {self.removed}"
        )

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


class PersistentMarketIndex:
    """One market index in `folder` (created on the first sync)."""

    def __init__(
        self,
        folder: Path,
        *,
        profile: Profile = Profile.BIGRAM_JIEBA,
        model: str = DEFAULT_MODEL,
        embedder: Embedder | None = None,
        processes: int = 1,
        after_load: Callable[[], None] | None = None,
    ) -> None:
        self.folder = folder
        # Called once each time a generation has been loaded (the server settles its heap).
        self._after_load = after_load
        self.profile = profile
        self.model = model
        self.processes = processes
        self._embedder = embedder
        self._lock = threading.RLock()
        self._index: SearchIndex | None = None
        self._generation: str | None = None
        # (inode, mtime, size) of CURRENT when last read, and the generation it named
        self._pointer: tuple[tuple[int, int, int] | None, str | None] = (None, None)
        self._known = (0, False)  # (size, has vectors) when last looked
        # (generation, kinds without vectors in it)
        self._waiting: tuple[str | None, frozenset[DocumentKind]] = (None, frozenset())
        # The answers of this generation (cleared when another one is loaded or published).
        self._answers: Memo[SearchKey, tuple[tuple[Match, Document], ...]] = Memo(SEARCHES_KEPT)
        # Query embeddings by text (the model's, whatever the generation): a demand's matches
        # search its text once per kind of partner; embedding it is the dearest step (3 ms).
        self._query_vectors: Memo[tuple[str, str], Floats] = Memo(QUERIES_KEPT)
        # The answers kept with the loaded generation (answers.json), once it is there.
        self._kept: tuple[str | None, dict[str, list[dict[str, object]]]] = (None, {})

    # ---------------------------------------------------------------- state
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.model)
        return self._embedder

    def _current(self) -> str | None:
        """The generation `CURRENT` names. Read once per version of the file: publishing
        replaces it (a new inode), so one stat tells whether it moved. Every search and status
        asks, under the lock: with the file read each time, py-spy found the match page's
        threads waiting at that lock at 32 clients (benchmarks/README.md, issue 14)."""
        pointer = self.folder / "CURRENT"
        try:
            seen = os.stat(pointer)
        except FileNotFoundError:
            self._pointer = (None, None)
            return None
        stamp = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
        if self._pointer[0] != stamp:
            try:
                named = pointer.read_text(encoding="utf-8").strip() or None
            except FileNotFoundError:
                return None
            self._pointer = (stamp, named)
        return self._pointer[1]

    def _load(self) -> SearchIndex | None:
        """The index of the current generation (reloaded when another process moved on)."""
        current = self._current()
        if current is None:
            self._index, self._generation = None, None
        elif current != self._generation or self._index is None:
            index = SearchIndex.open(self.folder / current, embedder=self._embedder)
            index.folder = None  # changes are saved as new generations, never in place
            self._answers.clear()
            if index.has_vectors and self._embedder is None:
                self._embedder = index.embedder
            self._index, self._generation = index, current
            if self._after_load is not None:
                self._after_load()
        return self._index

    @property
    def size(self) -> int:
        """Records in the index (what it last held while a sync or build is under way: a
        status page must not wait for one)."""
        return self._peek()[0]

    @property
    def has_vectors(self) -> bool:
        return self._peek()[1]

    def _peek(self) -> tuple[int, bool]:
        if self._lock.acquire(blocking=False):
            try:
                index = self._load()
                self._known = (0, False) if index is None else (len(index), index.has_vectors)
            finally:
                self._lock.release()
        return self._known

    def _require(self) -> SearchIndex:
        index = self._load()
        if index is None:
            raise InvalidInput("the matching index has not been built yet (sync it first)")
        return index

    @contextmanager
    def _writing(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.folder / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _publish(self, index: SearchIndex) -> None:
        """Save `index` as the next generation and make it current; drop older generations."""
        number = 1 + max(
            (int(p.name[4:]) for p in self.folder.glob("gen-*") if p.name[4:].isdigit()),
            default=0,
        )
        name = f"gen-{number:06d}"
        index.save(self.folder / name)
        index.folder = None
        temporary = self.folder / "CURRENT.tmp"
        temporary.write_text(name, encoding="utf-8")
        os.replace(temporary, self.folder / "CURRENT")
        # Read back from the saved files (memory-mapped) on the next use, like any process.
        self._index, self._generation = None, None
        self._answers.clear()
        for old in self.folder.glob("gen-*"):
            if old.name != name:
                # Other processes may still read the old files through memory maps: on
                # POSIX the data stays theirs until they let go.
                shutil.rmtree(old, ignore_errors=True)

    # ---------------------------------------------------------------- changes
    def sync(self, documents: Sequence[Document], progress: Progress | None = None) -> SyncReport:
        """Make the index hold exactly `documents`: build it the first time; afterwards add
        the new, replace the changed (new tokens, a new vector) and delete the vanished."""
        wanted: dict[str, Document] = {}
        for document in documents:
            if document.id in wanted:
                raise InvalidInput(f"document id {document.id!r} appears twice")
            wanted[document.id] = document
        with self._writing():
            index = self._load()
            if index is None:
                built = SearchIndex.build(
                    list(wanted.values()), Analyzer(self.profile), processes=self.processes
                )
                if progress is not None:
                    progress(len(wanted), len(wanted))
                self._publish(built)
                return SyncReport(len(wanted), 0, 0, len(built))
            live = {d.id: d for d in _live(index)}
            added = [d for doc_id, d in wanted.items() if doc_id not in live]
            changed = [d for doc_id, d in wanted.items() if doc_id in live and live[doc_id] != d]
            removed = [doc_id for doc_id in live if doc_id not in wanted]
            if added or changed:
                index.upsert(added + changed)
            if removed:
                index.delete(removed)
            if added or changed or removed:
                self._publish(index)
            if progress is not None:
                progress(len(wanted), len(wanted))
            return SyncReport(len(added), len(changed), len(removed), len(index))

    @property
    def unembedded_kinds(self) -> frozenset[DocumentKind]:
        """Kinds of record still waiting for their vectors (all of them before the first
        embedding; the enterprises after the demo's build embedded the market's own)."""
        with self._lock:
            index = self._load()
            if index is None:
                return frozenset()
            # A generation never changes once published: look once per generation (the
            # norms of every vector, tens of milliseconds at the demo's size).
            if self._waiting[0] != self._generation or self._generation is None:
                self._waiting = (
                    self._generation,
                    frozenset(d.kind for d in _pending(index)),
                )
            return self._waiting[1]

    def embed(
        self,
        progress: Progress | None = None,
        *,
        kinds: frozenset[DocumentKind] | None = None,
        batch_size: int = 32,
        shard_size: int = 512,
    ) -> int:
        """Give the documents without a vector one (only those of `kinds` when given: the
        others keep a zero vector, which dense search never returns, until a later run), as a
        resumable job (an interrupted run goes on from its last finished shard), then publish
        the index with them; hybrid search works after. Returns how many documents have
        vectors."""
        with self._lock:
            index = self._require()
            snapshot = _live(index)
            pending = _pending(index) if index.has_vectors else snapshot
            if kinds is not None:
                pending = [d for d in pending if d.kind in kinds]
            if index.has_vectors and not pending:
                return len(snapshot) - len(_pending(index))
        job = EmbeddingJob(
            self.folder / "embedding-job",
            self.embedder,
            batch_size=batch_size,
            shard_size=shard_size,
        )
        ids, texts = [d.id for d in pending], [d.text for d in pending]
        try:
            job.run(ids, texts, progress)
        except InvalidInput:
            # The folder holds a job over other documents (records changed since it was
            # interrupted): start it afresh rather than refuse.
            shutil.rmtree(job.out_dir, ignore_errors=True)
            job.run(ids, texts, progress)
        with self._writing():
            index = self._require()
            documents = _live(index)
            embedded = {d.id: d for d in pending}
            fresh = [d for d in documents if embedded.get(d.id) == d]
            new = {}
            if fresh:
                rows = vectors_for(fresh, job.out_dir, self.embedder.name)
                new = {d.id: rows[i] for i, d in enumerate(fresh)}
            vectors = np.zeros((len(documents), self.embedder.dim), dtype=np.float32)
            kept = [i for i, d in enumerate(documents) if d.id not in new]
            if index.has_vectors and kept:
                slots = [index.slot_of(documents[i].id) for i in kept]
                vectors[kept] = index.vectors_of([s for s in slots if s is not None])
            for i, document in enumerate(documents):
                if document.id in new:
                    vectors[i] = new[document.id]
            rebuilt = SearchIndex.build(
                documents,
                Analyzer(self.profile),
                embedder=self.embedder,
                vectors=vectors,
                processes=self.processes,
            )
            self._publish(rebuilt)
        shutil.rmtree(job.out_dir, ignore_errors=True)
        return len(documents) - len(_pending(rebuilt))

    # ---------------------------------------------------------------- searching
    def search(
        self,
        text: str,
        *,
        kinds: frozenset[DocumentKind],
        exclude: frozenset[str] = frozenset(),
        top: int = 10,
        mode: str = "bm25",
        filters: Filters | None = None,
    ) -> list[tuple[Match, Document]]:
        """The best `top` documents of `kinds` (and `filters`, whose own kinds are ignored),
        each with its document as the index held it when searched (a concurrent sync may
        change the index right after). An answer is kept for the generation it came from."""
        with self._lock:
            index = self._require()
            # What is excluded but not among the kinds searched in the index (a withdrawn
            # record synced out, an achievement when experts are asked for) changes nothing:
            # leave it out of the key, so that such searches share answers.
            exclude = frozenset(i for i in exclude if _holds(index, i, kinds))
            key = (self._generation, text, kinds, exclude, top, mode, filters)
        kept = self._answers.peek(key)
        if kept is not None:
            return list(kept)
        with self._lock:
            index = self._require()
            key = (self._generation, text, kinds, exclude, top, mode, filters)
            found: tuple[tuple[Match, Document], ...] | None = None
            if not exclude and (filters is None or filters.is_empty) and len(kinds) == 1:
                found = self._answer_kept(index, text, next(iter(kinds)), top, mode)
            if found is None:
                request = _request(text, kinds, exclude, top, mode, filters)
                searcher = HybridSearcher(index)
                vector = None
                if request.mode is not Mode.BM25:
                    model = "" if index.embedder is None else index.embedder.name
                    vector = self._query_vectors.peek((model, text))
                    if vector is None:
                        vector = searcher.query_vector(request)
                        if vector is not None:
                            self._query_vectors.put((model, text), vector)
                matches = searcher.search_with(request, vector)
                found = tuple((match, index.document(match.id)) for match in matches)
            self._answers.put(key, found)
            return list(found)

    # ---------------------------------------------------------------- answers kept ahead
    def keep_answers(
        self, requests: Sequence[AnswerRequest], progress: Progress | None = None
    ) -> int:
        """Answer `requests` now against the current generation and keep the answers with it
        (`answers.json` in its folder, written whole and then renamed into place): a search
        asking exactly one of them later, in any process, reads it instead of searching.
        Query embeddings are computed in batches. Returns how many answers were kept."""
        with self._writing():
            index = self._require()
            generation = self._generation
            assert generation is not None
            searcher = HybridSearcher(index)
            # Those this generation already holds are kept as they are: a sync that changed
            # nothing publishes no generation, and its answers are all there.
            answers = dict(self._kept_answers(generation))
            missing = [
                r for r in requests if _answer_key(r.text, r.kind, r.top, r.mode) not in answers
            ]
            if not missing:
                return len(answers)
            # One embedding per text, whatever the kinds it is searched for.
            by_text: dict[str, list[AnswerRequest]] = {}
            for wanted in missing:
                by_text.setdefault(wanted.text, []).append(wanted)
            texts = list(by_text)
            done, total = 0, len(missing)
            for start in range(0, len(texts), QUERY_BATCH):
                batch = texts[start : start + QUERY_BATCH]
                embedded = [t for t in batch if any(r.mode != Mode.BM25 for r in by_text[t])]
                vectors = searcher.query_vectors(
                    [_request(t, frozenset(), frozenset(), 1, Mode.HYBRID, None) for t in embedded]
                )
                vector_of = {} if vectors is None else dict(zip(embedded, vectors, strict=True))
                for text in batch:
                    for wanted in by_text[text]:
                        request = _request(
                            text,
                            frozenset({wanted.kind}),
                            frozenset(),
                            wanted.top,
                            wanted.mode,
                            None,
                        )
                        vector = vector_of.get(text) if request.mode is not Mode.BM25 else None
                        matches = searcher.search_with(request, vector)
                        key = _answer_key(text, wanted.kind, wanted.top, wanted.mode)
                        answers[key] = [_match_json(m) for m in matches]
                        done += 1
                if progress is not None:
                    progress(done, total)
            folder = self.folder / generation
            temporary = folder / (ANSWERS_FILE + ".tmp")
            content = {"generation": generation, "answers": answers}
            temporary.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, folder / ANSWERS_FILE)
            self._kept = (generation, answers)
            return len(answers)

    def _answer_kept(
        self, index: SearchIndex, text: str, kind: DocumentKind, top: int, mode: str
    ) -> tuple[tuple[Match, Document], ...] | None:
        """The answer kept ahead for this search in the loaded generation (None: none kept;
        the worker may still be computing them, so a missing file is looked for again)."""
        generation = self._generation
        if generation is None:
            return None
        kept = self._kept_answers(generation)
        found = kept.get(_answer_key(text, kind, top, mode))
        if found is None:
            return None
        matches = [_match_from_json(m) for m in found]
        return tuple((match, index.document(match.id)) for match in matches)

    def _kept_answers(self, generation: str) -> dict[str, list[dict[str, object]]]:
        """The answers kept with `generation` (none yet: the worker may still be computing
        them, so a missing file is looked for again next time)."""
        if self._kept[0] != generation:
            try:
                content = json.loads(
                    (self.folder / generation / ANSWERS_FILE).read_text(encoding="utf-8")
                )
            except FileNotFoundError:
                return {}
            self._kept = (generation, content["answers"])
        return self._kept[1]


def _holds(index: SearchIndex, doc_id: str, kinds: frozenset[DocumentKind]) -> bool:
    slot = index.slot_of(doc_id)
    return slot is not None and index.documents[slot].kind in kinds


def _request(
    text: str,
    kinds: frozenset[DocumentKind],
    exclude: frozenset[str],
    top: int,
    mode: str,
    filters: Filters | None,
) -> Request:
    """The engine's request for a market search (one definition for answering now and
    answering ahead)."""
    return Request(
        text,
        top=top,
        mode=Mode(mode),
        filters=replace(filters or Filters(), kinds=kinds),
        candidates=max(top, Request.candidates),
        exclude=exclude,
        collapse=True,  # a short list shows one of each group of near-duplicates
    )


def _answer_key(text: str, kind: DocumentKind, top: int, mode: str) -> str:
    return hashlib.sha256(f"{kind.value}\x1f{top}\x1f{mode}\x1f{text}".encode()).hexdigest()


def _match_json(match: Match) -> dict[str, object]:
    e = match.explanation
    return {
        "id": match.id,
        "score": match.score,
        "rank": match.rank,
        "kind": match.kind.value,
        "relevance": match.relevance,
        "duplicates": list(match.duplicates),
        "terms": {name: list(found) for name, found in e.terms.items()},
        "bm25": e.bm25,
        "bm25_rank": e.bm25_rank,
        "cosine": e.cosine,
        "dense_rank": e.dense_rank,
    }


def _match_from_json(data: dict[str, Any]) -> Match:
    explanation = Explanation(
        terms={name: tuple(found) for name, found in data["terms"].items()},
        bm25=data["bm25"],
        bm25_rank=data["bm25_rank"],
        cosine=data["cosine"],
        dense_rank=data["dense_rank"],
    )
    return Match(
        data["id"],
        data["score"],
        data["rank"],
        DocumentKind(data["kind"]),
        explanation,
        relevance=data["relevance"],
        duplicates=tuple(data["duplicates"]),
    )


def _pending(index: SearchIndex) -> list[Document]:
    """The live documents whose vector is still zero (not embedded yet)."""
    documents = _live(index)
    if not index.has_vectors or not documents:
        return documents
    slots = [index.slot_of(d.id) for d in documents]
    norms = np.linalg.norm(index.vectors_of([s for s in slots if s is not None]), axis=1)
    return [d for d, norm in zip(documents, norms, strict=True) if norm == 0]


def _live(index: SearchIndex) -> list[Document]:
    """The documents the index holds now (each id's current slot, not its replaced ones)."""
    return [d for slot, d in enumerate(index.documents) if index.slot_of(d.id) == slot]
