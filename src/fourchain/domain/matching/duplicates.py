"""Near-duplicate records: the same title, or nearly the same text, of the same kind.

Two results that say the same thing waste a place in a short list and look like a fault; the
searcher keeps the better-ranked one and lists the other's id under it.
"""

from __future__ import annotations

import re
import unicodedata

from fourchain.domain.matching.boilerplate import strip_boilerplate
from fourchain.domain.matching.documents import Document

# Character bigrams of two texts this similar (Jaccard) are one text with small edits: a
# changed number, a punctuation mark, a word added.
NEAR_DUPLICATE_JACCARD = 0.85
_NOISE = re.compile(r"[\W_]+")


def _plain(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", strip_boilerplate(text)).lower())


def _shingles(text: str) -> frozenset[str]:
    plain = _plain(text)
    if len(plain) < 2:
        return frozenset({plain}) if plain else frozenset()
    return frozenset(plain[i : i + 2] for i in range(len(plain) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class DuplicateFilter:
    """Keeps the first of each group of near-duplicates among documents seen in rank order."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.threshold = threshold
        self._kept: list[tuple[Document, str, frozenset[str]]] = []

    def original_of(self, document: Document) -> Document | None:
        """The kept document `document` duplicates, or None (then it is kept itself)."""
        title = _plain(document.fields.get("title", ""))
        shingles = _shingles(document.text)
        for kept, kept_title, kept_shingles in self._kept:
            if kept.kind is not document.kind:
                continue
            if (title and title == kept_title) or jaccard(
                shingles, kept_shingles
            ) >= self.threshold:
                return kept
        self._kept.append((document, title, shingles))
        return None
