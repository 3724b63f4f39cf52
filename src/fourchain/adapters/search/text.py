"""Text normalisation and tokenisation for Chinese and English search.

normalise: full-width → half-width, NFKC, traditional → simplified (OpenCC t2s), lowercase.
tokenise: CJK character bigrams (a lone character stays a unigram) + jieba search-mode words
of two or more characters (with a shipped dictionary of S&T terms) + Latin words and numbers.
A whole run of Chinese characters is never one token: that is the classic mistake that makes
BM25 blind to Chinese (see tests/integration/search).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

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
_TOKEN_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z\u00c0-\u024f\u0370-\u03ff]+")
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
