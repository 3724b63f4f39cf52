"""Fusing BM25 and dense evidence into one ranking and a calibrated 0–100 relevance.

Two fusions live here. `reciprocal_rank_fusion` (the old hybrid, kept for comparison) fuses
ranks only, so a document BM25 finds far ahead of the rest counts no more than one it barely
prefers — which is how it lost to BM25 alone on known-item search (issue 15). `fuse`
combines the scores themselves: per query, the BM25 score relative to the best candidate's,
its logarithm, the cosine and the cosine relative to the best, weighted per query kind by a
model fitted on half of the CSL dev records (`benchmarks/tune_fusion.py`; the weights are in
`calibration.py`). The hybrid's weights are fitted listwise (a softmax over each query's
candidates, so they rank the record the query describes first), then pseudo-relevance
feedback: when the fusion is sure of its first record, the others also gain by their likeness
to it, which brings the first record's topic up (same-discipline precision). A logistic
calibration of the final score, ×100, is the relevance shown to people: about how likely it
is that this is the record the query describes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from fourchain.errors import InvalidInput

# k=60 is the constant of Cormack, Clarke and Büttcher (SIGIR 2009); it damps the head of
# each list so that one retriever's first place cannot outvote agreement between them.
RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    *,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fuse ranked id lists (best first) into (id, score) pairs, best first.

    score(d) = Σ_lists weight / (k + rank of d in that list), rank counted from 1. Ties keep
    the order of first appearance (list by list), so the fusion is deterministic."""
    if k < 1:
        raise InvalidInput(f"RRF constant k must be at least 1, got {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise InvalidInput(f"{len(weights)} weights given for {len(rankings)} rankings")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, doc_id in enumerate(ranking, start=1):
            if doc_id in seen:
                raise InvalidInput(f"id {doc_id!r} appears twice in one ranking")
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    order = {doc_id: position for position, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


class QueryKind(StrEnum):
    """What a query looks like; each kind has its own fusion weights."""

    TITLE = "title"  # a short phrase: a record's title, a problem statement
    KEYWORDS = "keywords"  # a list of terms separated by ; ， 、 or spaces
    DESCRIPTION = "description"  # a long text: an abstract, a demand's description
    OTHER_LANGUAGE = "other_language"  # mostly Latin script against a Chinese corpus


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
_SEPARATORS = re.compile(r"[;；,，、|/\s]+")
_SENTENCE = re.compile(r"[。！？!?]")
DESCRIPTION_CHARS = 64  # longer than any CSL title (their 95th percentile is about 35)
KEYWORD_CHARS = 12  # a keyword longer than this reads as a phrase, not a term


def query_kind(text: str) -> QueryKind:
    """Classify a query. Other language: fewer CJK characters than Latin words (an English
    sentence; a Chinese title with an acronym or two stays Chinese). Keywords: two or more
    separated parts, none longer than a term. Description: a sentence mark, or longer than a
    title."""
    stripped = text.strip()
    if len(_CJK.findall(stripped)) < len(_LATIN_WORD.findall(stripped)):
        return QueryKind.OTHER_LANGUAGE
    parts = [part for part in _SEPARATORS.split(stripped) if part]
    short = all(len(part) <= KEYWORD_CHARS for part in parts)
    if len(parts) >= 2 and short and not _SENTENCE.search(stripped):
        return QueryKind.KEYWORDS
    if _SENTENCE.search(stripped) or len(stripped) > DESCRIPTION_CHARS:
        return QueryKind.DESCRIPTION
    return QueryKind.TITLE


class Evidence(StrEnum):
    """Which retrievers' scores a fusion model weighs."""

    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"


@dataclass(frozen=True)
class Feedback:
    """Pseudo-relevance feedback on the fused list. When the top candidate holds at least
    `confidence` of the softmax over the candidates' scores, every other candidate's score
    loses `weight` × (1 − its cosine with that record): that record stays first, and the rest
    of the list follows its topic as well as the query's words. An unsure fusion (the record
    the query describes may be second or third) is left alone."""

    confidence: float
    weight: float


@dataclass(frozen=True)
class LogisticModel:
    """score = Σ weight·feature over (bm25 ÷ best bm25, ln(1 + bm25), cosine, cosine − best
    cosine), plus the feedback when there is one; logit = intercept + scale·score ranks, and
    its sigmoid is the relevance. The features a model does not use have weight 0."""

    intercept: float
    weights: tuple[float, float, float, float]
    scale: float = 1.0
    feedback: Feedback | None = None

    def score(self, features: Sequence[float]) -> float:
        return sum(w * x for w, x in zip(self.weights, features, strict=True))

    def logit(self, features: Sequence[float]) -> float:
        return self.intercept + self.scale * self.score(features)


# The cosines of the given keys' vectors with one key's vector (feedback's likeness).
Neighbours = Callable[[int, Sequence[int]], Mapping[int, float]]


def features(
    bm25: float, best_bm25: float, cosine: float, best_cosine: float
) -> tuple[float, float, float, float]:
    """One candidate's features relative to the query's best candidates."""
    relative = bm25 / best_bm25 if best_bm25 > 0 else 0.0
    return (relative, math.log1p(max(bm25, 0.0)), cosine, cosine - best_cosine)


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True)
class Scored:
    """A fused candidate: its key, the ranking logit, the 0–100 relevance and the raw scores
    (for tie-breaks and explanations)."""

    key: int
    logit: float
    relevance: float
    bm25: float
    cosine: float | None


def fuse(
    bm25: Mapping[int, float],
    cosines: Mapping[int, float] | None,
    model: LogisticModel,
    neighbours: Neighbours | None = None,
) -> list[Scored]:
    """Rank candidates (keys: index slots) by the model's logit, best first.

    `bm25` holds every candidate's BM25 score and `cosines` every candidate's cosine (None:
    no vectors, a BM25-only model). `neighbours` gives the likeness between candidates for the
    model's feedback (without it, or without cosines, there is none). Ties — equal logits,
    e.g. records with the same text — go to the higher BM25 (more of the query's own words),
    then the higher cosine, then the lower key (the older record), so a ranking never depends
    on dictionary order."""
    if cosines is not None and set(cosines) != set(bm25):
        raise InvalidInput("fusion needs both scores for every candidate")
    best_bm25 = max(bm25.values(), default=0.0)
    best_cosine = max(cosines.values(), default=0.0) if cosines is not None else 0.0
    keys = list(bm25)
    scores = {
        key: model.score(
            features(bm25[key], best_bm25, cosines[key] if cosines else 0.0, best_cosine)
        )
        for key in keys
    }
    if model.feedback is not None and neighbours is not None and cosines is not None and keys:
        scores = _with_feedback(scores, bm25, cosines, model.feedback, neighbours)
    out = []
    for key in keys:
        logit = model.intercept + model.scale * scores[key]
        cosine = cosines[key] if cosines is not None else None
        out.append(Scored(key, logit, 100.0 * sigmoid(logit), bm25[key], cosine))
    out.sort(key=lambda s: (-s.logit, -s.bm25, -(s.cosine or 0.0), s.key))
    return out


def _with_feedback(
    scores: dict[int, float],
    bm25: Mapping[int, float],
    cosines: Mapping[int, float],
    feedback: Feedback,
    neighbours: Neighbours,
) -> dict[int, float]:
    """The scores with the feedback added, when the top candidate is sure enough."""
    top = min(scores, key=lambda k: (-scores[k], -bm25[k], -cosines[k], k))
    share = 1.0 / sum(math.exp(s - scores[top]) for s in scores.values())
    if share < feedback.confidence:
        return scores
    likeness = neighbours(top, list(scores))
    # The sure record keeps its score (its likeness is 1): its relevance does not depend on
    # whether feedback applied; the others lose by their distance from it.
    return {key: s - feedback.weight * (1.0 - likeness[key]) for key, s in scores.items()}
