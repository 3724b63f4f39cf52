"""Text normalisation and tokenisation for Chinese and English search.

normalise: full-width → half-width, NFKC, traditional → simplified (OpenCC t2s), lowercase.
tokenise: CJK character bigrams (a lone character stays a unigram) + jieba search-mode words
of two or more characters (with a shipped dictionary of S&T terms) + Latin words and numbers.
A whole run of Chinese characters is never one token: that is the classic mistake that makes
BM25 blind to Chinese (see tests/integration/search).

`Analyzer` is the reference and the query-side path. `token_chunks` is the index builder's
path: the same tokens, counted per document for a chunk of texts at once with numpy, as
integer keys (see `ChunkTokens`), optionally in worker processes.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import opencc

# jieba 0.42's source has invalid escape sequences (a SyntaxWarning or DeprecationWarning on
# every import that compiles it) and may import pkg_resources (a deprecation warning); those
# are jieba's, not ours, and must not fail a run that treats warnings as errors.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", UserWarning)
    import jieba

from fourchain.errors import InvalidInput

DOMAIN_DICTIONARY = Path(__file__).parent / "data" / "st_terms.txt"

# Unified CJK ideographs, extension A and the supplementary planes' extensions B–F.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef"
# Latin (with accented letters), Greek and digits: a run of these is one token.
_WORD_CHARS = r"0-9a-z\u00c0-\u024f\u0370-\u03ff"
_TOKEN_RUN = re.compile(rf"[{_CJK}]+|[{_WORD_CHARS}]+")
_WORD_RUN = re.compile(rf"[{_WORD_CHARS}]+")  # = _TOKEN_RUN's second kind (tests use it)
_CJK_ONLY = re.compile(rf"[{_CJK}]+")
# Full-width ASCII (U+FF01–FF5E) and the ideographic space; NFKC folds these too, but doing
# it first and explicitly keeps the rule visible and independent of Unicode versions.
_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class Profile(StrEnum):
    """Which tokens an analyzer emits. The profile is stored with an index."""

    BIGRAM_JIEBA = "bigram+jieba"  # best quality (the default)
    BIGRAM = "bigram"  # about 5× faster to index, a little less precise; for huge rebuilds


_converter_lock = threading.Lock()
_converter: Any = None


def _t2s() -> Any:
    global _converter
    with _converter_lock:
        if _converter is None:
            _converter = opencc.OpenCC("t2s")
        return _converter


def normalise(text: str) -> str:
    """The form every text is compared in: half-width, NFKC, simplified, lowercase."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text.translate(_FULL_TO_HALF))
    return str(_t2s().convert(folded)).lower()


def _jieba_cache_dir() -> Path:
    # jieba caches its prefix dictionary as <tmp>/jieba.cache by default, a file every user
    # and process of the machine would share (and fail to replace if another user owns it).
    return Path(tempfile.gettempdir()) / f"fourchain-jieba-{os.getuid()}"


_jieba_lock = threading.Lock()
_jieba: Any = None


def _segmenter() -> Any:
    """jieba's tokenizer with the domain dictionary, initialised once per process."""
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            jieba.setLogLevel(logging.WARNING)
            segmenter = jieba.Tokenizer()
            cache_dir = _jieba_cache_dir()
            cache_dir.mkdir(parents=True, exist_ok=True)
            segmenter.tmp_dir = str(cache_dir)
            segmenter.initialize()
            # jieba's load_userdict leaves the file open (a ResourceWarning); add words here.
            for line in DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if parts:
                    freq = int(parts[1]) if len(parts) > 1 else None
                    segmenter.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
            _jieba = segmenter
        return _jieba


def _bigrams(run: str) -> Iterator[str]:
    if len(run) == 1:
        yield run
    else:
        yield from map(str.__add__, run[:-1], run[1:])


class Analyzer:
    """Turns text into search tokens; the same analyzer must index and query."""

    def __init__(self, profile: Profile | str = Profile.BIGRAM_JIEBA) -> None:
        try:
            self.profile = Profile(profile)
        except ValueError:
            choices = ", ".join(p.value for p in Profile)
            raise InvalidInput(
                f"unknown analyzer profile {profile!r} (one of: {choices})"
            ) from None

    def warm_up(self) -> None:
        """Load OpenCC and jieba now (before forking workers, or before timing queries)."""
        _t2s()
        if self.profile is Profile.BIGRAM_JIEBA:
            _segmenter()

    def tokens(self, text: str) -> list[str]:
        """Tokens of already-normalised text."""
        out: list[str] = []
        for run in _TOKEN_RUN.findall(text):
            if run[0] < "\u3400":  # Latin, Greek or a number: one token per word
                out.append(run)
            else:
                out.extend(_bigrams(run))
        if self.profile is Profile.BIGRAM_JIEBA and _CJK_ONLY.search(text):
            out.extend(
                word
                for word in _segmenter().lcut_for_search(text)
                if len(word) >= 2 and _CJK_ONLY.fullmatch(word)
            )
        return out

    def analyse(self, text: str) -> list[str]:
        """Normalise, then tokenise."""
        return self.tokens(normalise(text))

    def display_terms(self, text: str) -> list[str]:
        """Readable terms of a query for explanations: jieba words and Latin words, in order;
        a lone CJK character only when it is a word of its own."""
        normal = normalise(text)
        terms: list[str] = []
        for run in _TOKEN_RUN.findall(normal):
            if run[0] < "\u3400":
                terms.append(run)
            else:
                terms.extend(
                    word for word in _segmenter().lcut(run) if word.strip() and word not in terms
                )
        return list(dict.fromkeys(terms))


def _bag(profile: str, text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for token in Analyzer(profile).analyse(text):
        counts[token] = counts.get(token, 0) + 1
    return counts


def _bags_of_chunk(job: tuple[str, list[str]]) -> list[dict[str, int]]:
    profile, texts = job
    return [_bag(profile, text) for text in texts]


def token_bags(
    texts: Iterator[str] | list[str],
    analyzer: Analyzer,
    *,
    processes: int = 1,
    chunk: int = 500,
) -> Iterator[dict[str, int]]:
    """Token → count for every text, in order; with processes > 1 the texts are analysed by
    worker processes (tokenising is pure Python, so threads would not run in parallel)."""
    if processes <= 1:
        for text in texts:
            yield _bag(analyzer.profile.value, text)
        return
    import multiprocessing

    analyzer.warm_up()  # forked workers inherit the loaded dictionaries

    def jobs() -> Iterator[tuple[str, list[str]]]:
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == chunk:
                yield analyzer.profile.value, batch
                batch = []
        if batch:
            yield analyzer.profile.value, batch

    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        for bags in pool.imap(_bags_of_chunk, jobs()):
            yield from bags


# ---------------------------------------------------------------- the builder's fast path
# Texts of a chunk are joined by a noncharacter: it is stable under NFKC (a starter that
# composes with nothing), OpenCC has no dictionary entry holding it, it has no case and is not
# case-ignorable (so lower()'s final-sigma rule stops at it), and it is neither a CJK nor a
# word character (so no token spans two texts). A chunk holding it falls back to one by one.
_SEPARATOR = "\uffff"
_OTHER, _CJK_CHAR, _WORD_CHAR = 0, 1, 2


def _char_classes() -> npt.NDArray[np.uint8]:
    table = np.zeros(0x110000, dtype=np.uint8)
    for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2EBEF)):  # = _CJK
        table[first : last + 1] = _CJK_CHAR
    for first, last in ((0x30, 0x39), (0x61, 0x7A), (0xC0, 0x24F), (0x370, 0x3FF)):
        table[first : last + 1] = _WORD_CHAR  # = _WORD_CHARS
    return table


_CLASS_OF = _char_classes()

# A token's integer key: a CJK bigram is c1 << 21 | c2 (code points are below 2**21), a lone
# CJK character is its code point, anything else (Latin words, numbers, jieba words of three
# or more characters) is WORD_KEY + its position in the chunk's `words`. Every key is below
# 2**40, which leaves the low 24 bits of a 64-bit integer for the document in the chunk.
WORD_KEY = 1 << 39
_CODE_BITS = 21
_DOC_BITS = 24
MAX_CHUNK = 1 << 20


def _code_points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalise_many(texts: Sequence[str]) -> list[str]:
    """`[normalise(text) for text in texts]`, for a chunk at once: the full-width fold with
    numpy, NFKC text by text (almost every text is already NFKC after the fold, which NFKC
    checks quickly, while a long string with one exception is normalised slowly as a whole),
    OpenCC and lower() on the joined chunk."""
    joined = _SEPARATOR.join(texts)
    if len(texts) < 2 or joined.count(_SEPARATOR) != len(texts) - 1:
        return [normalise(text) for text in texts]
    points = _code_points(joined).copy()
    points[(points >= 0xFF01) & (points <= 0xFF5E)] -= 0xFEE0  # = _FULL_TO_HALF
    points[points == 0x3000] = 0x20
    half_width = points.tobytes().decode("utf-32-le", "surrogatepass").split(_SEPARATOR)
    folded = _SEPARATOR.join([unicodedata.normalize("NFKC", text) for text in half_width])
    out = str(_t2s().convert(folded)).lower().split(_SEPARATOR)
    if len(out) != len(texts):  # cannot happen (see _SEPARATOR); never risk a misalignment
        return [normalise(text) for text in texts]
    return out


@dataclass(frozen=True)
class ChunkTokens:
    """The token counts of a chunk of documents, as integer keys (see WORD_KEY): the chunk's
    distinct keys ascending, and per key its postings — the documents (rows in the chunk,
    ascending) holding it and how often."""

    lengths: npt.NDArray[np.int64]  # tokens in each document (with repeats)
    keys: npt.NDArray[np.uint64]  # the distinct keys, ascending
    words: list[str]  # the token of key WORD_KEY + i is words[i]
    postings: npt.NDArray[np.int64]  # how many documents hold each key
    docs: npt.NDArray[np.unsignedinteger[Any]]  # rows, grouped by key (sum of postings)
    counts: npt.NDArray[np.unsignedinteger[Any]]  # the key's count in that row

    @property
    def n_docs(self) -> int:
        return int(self.lengths.size)

    def token(self, key: int) -> str:
        return token_of_key(key, self.words)

    def bags(self) -> list[dict[str, int]]:
        """Token → count per document (what token_bags gives; for tests and small chunks)."""
        bags: list[dict[str, int]] = [{} for _ in range(self.n_docs)]
        tokens = [self.token(key) for key in self.keys.tolist()]
        of_posting = np.repeat(np.arange(len(tokens)), self.postings).tolist()
        postings = zip(of_posting, self.docs.tolist(), self.counts.tolist(), strict=True)
        for which, row, count in postings:
            bags[row][tokens[which]] = count
        return bags


def token_of_key(key: int, words: Sequence[str]) -> str:
    """The token a key stands for (`words`: the chunk's, for keys from WORD_KEY on)."""
    if key >= WORD_KEY:
        return words[key - WORD_KEY]
    if key >> _CODE_BITS:
        return chr(key >> _CODE_BITS) + chr(key & ((1 << _CODE_BITS) - 1))
    return chr(key)


def cjk_token_strings(keys: npt.NDArray[np.uint64]) -> list[str]:
    """The tokens of keys below WORD_KEY (bigrams and lone characters), in order."""
    high = (keys >> np.uint64(_CODE_BITS)).astype(np.uint32)
    low = (keys & np.uint64((1 << _CODE_BITS) - 1)).astype(np.uint32)
    return [
        chr(h) + chr(c) if h else chr(c) for h, c in zip(high.tolist(), low.tolist(), strict=True)
    ]


def _smallest_unsigned(values: npt.NDArray[Any], top: int) -> npt.NDArray[Any]:
    return values.astype(np.uint16 if top < 1 << 16 else np.uint32)


def tokenise_chunk(texts: Sequence[str], profile: Profile | str) -> ChunkTokens:
    """Normalise and tokenise a chunk of texts: per document, exactly the multiset of
    `Analyzer(profile).analyse(text)` (a test checks it against every CSL record).

    The bigrams and lone characters come from the chunk's code points with numpy, the Latin
    words from one split of the chunk, jieba's words (bigram+jieba) text by text as in
    `tokens`; one sort of (key, document) integers counts them all."""
    profile = Profile(profile)
    n = len(texts)
    if n > MAX_CHUNK:
        raise InvalidInput(f"a chunk of {n} texts is more than {MAX_CHUNK}")
    normals = normalise_many(texts)
    joined = _SEPARATOR.join(normals)
    points = _code_points(joined)
    # The document of every position (a separator counts with the text before it).
    widths = np.fromiter(map(len, normals), dtype=np.int64, count=n) + 1
    doc_of = np.repeat(np.arange(n, dtype=np.uint64), widths)[: points.size]
    kind = _CLASS_OF[points]
    cjk = kind == _CJK_CHAR
    keys: list[npt.NDArray[np.uint64]] = []
    docs: list[npt.NDArray[np.uint64]] = []

    # CJK bigrams: two CJK characters in a row; a lone CJK character is a token of its own.
    at = np.flatnonzero(cjk[:-1] & cjk[1:])
    keys.append((points[at].astype(np.uint64) << np.uint64(_CODE_BITS)) | points[at + 1])
    docs.append(doc_of[at])
    lone = cjk.copy()
    lone[1:] &= ~cjk[:-1]
    lone[:-1] &= ~cjk[1:]
    at = np.flatnonzero(lone)
    keys.append(points[at].astype(np.uint64))
    docs.append(doc_of[at])

    # Latin words and numbers (the runs _WORD_RUN finds): every other character made a space,
    # str.split() gives the runs in order; each starts where a word character follows a
    # character that is not one.
    word = kind == _WORD_CHAR
    starts = word.copy()
    starts[1:] &= ~word[:-1]
    at = np.flatnonzero(starts)
    spaced = np.where(word, points, np.uint32(0x20))
    found = spaced.tobytes().decode("utf-32-le", "surrogatepass").split()
    ids = {w: i for i, w in enumerate(dict.fromkeys(found))}
    keys.append(_word_keys(list(map(ids.__getitem__, found))))
    docs.append(doc_of[at])

    if profile is Profile.BIGRAM_JIEBA:
        pairs, pair_docs, longer, longer_docs = _jieba_words(normals, ids)
        two = _code_points("".join(pairs)).reshape(-1, 2).astype(np.uint64)
        keys.append((two[:, 0] << np.uint64(_CODE_BITS)) | two[:, 1])
        docs.append(np.asarray(pair_docs, dtype=np.uint64))
        keys.append(_word_keys(longer))
        docs.append(np.asarray(longer_docs, dtype=np.uint64))

    all_docs = np.concatenate(docs)
    lengths = np.bincount(all_docs.astype(np.int64), minlength=n).astype(np.int64)
    # One sort of (key, document) pairs gives the postings grouped by key, rows ascending.
    pairs_sorted = np.sort((np.concatenate(keys) << np.uint64(_DOC_BITS)) | all_docs)
    del keys, docs, all_docs
    if pairs_sorted.size == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return ChunkTokens(lengths, empty, [], np.zeros(0, np.int64), empty, empty)
    first = np.flatnonzero(np.concatenate(([True], pairs_sorted[1:] != pairs_sorted[:-1])))
    counts = np.diff(np.append(first, pairs_sorted.size))
    unique = pairs_sorted[first]
    del pairs_sorted
    token_keys = unique >> np.uint64(_DOC_BITS)
    rows = unique & np.uint64((1 << _DOC_BITS) - 1)
    group = np.flatnonzero(np.concatenate(([True], token_keys[1:] != token_keys[:-1])))
    postings = np.diff(np.append(group, token_keys.size)).astype(np.int64)
    words = list(ids)
    return ChunkTokens(
        lengths=lengths,
        keys=token_keys[group],
        words=words,
        postings=postings,
        docs=_smallest_unsigned(rows, n),
        counts=_smallest_unsigned(counts, int(counts.max())),
    )


def _word_keys(ids: list[int]) -> npt.NDArray[np.uint64]:
    return np.asarray(ids, dtype=np.uint64) + np.uint64(WORD_KEY)


def _jieba_words(
    normals: Sequence[str], ids: dict[str, int]
) -> tuple[list[str], list[int], list[int], list[int]]:
    """jieba's words as Analyzer.tokens keeps them: two-character words (which share their
    keys with bigrams) and the ids in `ids` of longer ones, each with its document."""
    segmenter = _segmenter()
    pairs: list[str] = []
    pair_docs: list[int] = []
    longer: list[int] = []
    longer_docs: list[int] = []
    for doc, text in enumerate(normals):
        if not _CJK_ONLY.search(text):
            continue
        for word in segmenter.lcut_for_search(text):
            if len(word) >= 2 and _CJK_ONLY.fullmatch(word):
                if len(word) == 2:
                    pairs.append(word)
                    pair_docs.append(doc)
                else:
                    longer.append(ids.setdefault(word, len(ids)))
                    longer_docs.append(doc)
    return pairs, pair_docs, longer, longer_docs


def _tokenise_job(job: tuple[str, list[str]]) -> ChunkTokens:
    profile, texts = job
    return tokenise_chunk(texts, profile)


def token_chunks(
    texts: Iterable[str],
    analyzer: Analyzer,
    *,
    processes: int = 1,
    chunk: int = 2000,
) -> Iterator[ChunkTokens]:
    """The texts' tokens, a chunk of `chunk` texts at a time, in order. With processes > 1,
    forked workers tokenise while the caller consumes earlier chunks."""
    if not 1 <= chunk <= MAX_CHUNK:
        raise InvalidInput(f"chunk must be 1..{MAX_CHUNK}, got {chunk}")
    profile = analyzer.profile.value

    def jobs() -> Iterator[tuple[str, list[str]]]:
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == chunk:
                yield profile, batch
                batch = []
        if batch:
            yield profile, batch

    if processes <= 1:
        for job in jobs():
            yield _tokenise_job(job)
        return
    import multiprocessing

    analyzer.warm_up()  # forked workers inherit the loaded dictionaries
    context = multiprocessing.get_context("fork")
    # Frozen objects are never traversed by the workers' garbage collector, so the parent's
    # objects (a million documents, say) stay shared pages instead of being copied into each.
    gc.freeze()
    try:
        pool = context.Pool(processes)
    finally:
        gc.unfreeze()
    with pool:
        yield from pool.imap(_tokenise_job, jobs())


def simplified(text: str) -> str:
    """Traditional characters converted to simplified (OpenCC t2s); nothing else changed."""
    return str(_t2s().convert(text)) if text else ""
