"""How strong a match reads to people: 高/中/低 (high/medium/low), never a raw BM25 score.

A calibrated 0–100 relevance (hybrid mode) is banded directly. Keyword-only matches have no
calibrated relevance; their BM25 score only means something against the other scores of the
same query, so they are banded by their share of the best score in the list.
"""

from __future__ import annotations

from enum import StrEnum

# The calibrated relevance is about the chance, in per cent, that this is the record wanted:
# more likely than not reads 高, one chance in five or better 中.
HIGH_FROM = 50.0
MEDIUM_FROM = 20.0


class Strength(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


STRENGTH_LABELS: dict[Strength, tuple[str, str]] = {
    Strength.HIGH: ("高", "High"),
    Strength.MEDIUM: ("中", "Medium"),
    Strength.LOW: ("低", "Low"),
}


def band(points: float) -> Strength:
    """The band of a 0–100 figure."""
    if points >= HIGH_FROM:
        return Strength.HIGH
    if points >= MEDIUM_FROM:
        return Strength.MEDIUM
    return Strength.LOW


def strength(relevance: float | None, bm25: float, best_bm25: float) -> Strength:
    """The band of one match: by its calibrated relevance when it has one, otherwise by its
    BM25 score as a share of the best BM25 score among the matches of the same query."""
    if relevance is not None:
        return band(relevance)
    if best_bm25 <= 0:
        return Strength.LOW
    return band(100.0 * bm25 / best_bm25)
