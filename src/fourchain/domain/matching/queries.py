"""The query text a record searches the market with: one definition, so that an answer
computed ahead (by the job worker) is the answer a request would compute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fourchain.domain.matching.documents import DocumentKind


def demand_query(problem: str, description: str, field: str) -> str:
    """What a demand looks for: its problem, its description and its field."""
    return f"{problem}\n{description}\n{field}"


def achievement_query(title: str, abstract: str, keywords: Sequence[str]) -> str:
    """What an achievement offers: its title, abstract and keywords."""
    return f"{title}\n{abstract}\n{'；'.join(keywords)}"


@dataclass(frozen=True)
class AnswerRequest:
    """A search answered ahead and kept: `text` against records of `kind`, the best `top`,
    in `mode`, with no filter and nothing excluded."""

    text: str
    kind: DocumentKind
    top: int
    mode: str
