"""The technology market's matching engine, pure part: documents, filters, fusion, metrics."""

from fourchain.domain.matching.documents import (
    KIND_LABELS,
    TARGETS,
    Attributes,
    Document,
    DocumentKind,
    keywords_text,
)
from fourchain.domain.matching.explain import Explanation, Match
from fourchain.domain.matching.filters import NO_FILTERS, Filters
from fourchain.domain.matching.fusion import RRF_K, reciprocal_rank_fusion
from fourchain.domain.matching.metrics import mean, ndcg_at_k, recall_at_k, share_at_k
from fourchain.domain.matching.queries import AnswerRequest, achievement_query, demand_query

__all__ = [
    "AnswerRequest",
    "KIND_LABELS",
    "NO_FILTERS",
    "RRF_K",
    "TARGETS",
    "Attributes",
    "Document",
    "DocumentKind",
    "Explanation",
    "Filters",
    "Match",
    "achievement_query",
    "demand_query",
    "keywords_text",
    "mean",
    "ndcg_at_k",
    "recall_at_k",
    "reciprocal_rank_fusion",
    "share_at_k",
]
