"""Known-item retrieval on the real CSL records, and the Chinese tokenisation regression.

Indexed by whole runs of characters (bm25s's default token pattern), Chinese text is nearly
unsearchable: a title shares almost no whole run with its own abstract. These tests fail if
tokenisation ever falls back to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from fourchain.adapters.search.bm25 import build_segment, top_k
from fourchain.adapters.search.text import Analyzer, Profile, normalise
from fourchain.domain.matching import Document, keywords_text, mean, ndcg_at_k

WHOLE_RUNS = re.compile(r"(?u)\b\w\w+\b")

Tokens = Callable[[str], list[str]]


def _bag(tokens: list[str]) -> dict[str, int]:
    bag: dict[str, int] = {}
    for token in tokens:
        bag[token] = bag.get(token, 0) + 1
    return bag


class KnownItem:
    """An index of the CSL abstracts under one tokeniser, queried by known items."""

    def __init__(self, documents: list[Document], tokens: Tokens) -> None:
        self.tokens = tokens
        self.ids = [d.id for d in documents]
        self.segment = build_segment([_bag(tokens(d.text)) for d in documents])

    def ndcg(self, queries: list[tuple[str, str]]) -> float:
        return mean(
            ndcg_at_k([self.ids[i] for i in self._top(text)], {target: 1}, 10)
            for target, text in queries
        )

    def _top(self, text: str) -> list[int]:
        return [int(i) for i in top_k(self.segment.scores(_bag(self.tokens(text))), 10)]


@pytest.fixture(scope="module")
def known_item(csl_abstracts: list[Document]) -> dict[str, KnownItem]:
    return {
        profile.value: KnownItem(csl_abstracts, Analyzer(profile).analyse) for profile in Profile
    } | {"whole runs": KnownItem(csl_abstracts, lambda t: WHOLE_RUNS.findall(normalise(t)))}


def _titles(records: list[dict[str, object]]) -> list[tuple[str, str]]:
    return [(str(r["id"]), str(r["title"])) for r in records]


def _keywords(records: list[dict[str, object]]) -> list[tuple[str, str]]:
    return [(str(r["id"]), keywords_text(r["keywords"])) for r in records]


@pytest.mark.parametrize("queries", [_titles, _keywords], ids=["title", "keywords"])
@pytest.mark.parametrize("profile", [p.value for p in Profile])
def test_bm25_finds_the_abstract_of_a_title_or_keywords_query(
    csl_records: list[dict[str, object]],
    known_item: dict[str, KnownItem],
    queries: Callable[[list[dict[str, object]]], list[tuple[str, str]]],
    profile: str,
) -> None:
    assert known_item[profile].ndcg(queries(csl_records)) >= 0.9


def test_whole_run_tokenisation_collapses_while_ours_does_not(
    csl_records: list[dict[str, object]], known_item: dict[str, KnownItem]
) -> None:
    queries = _titles(csl_records)
    assert known_item["whole runs"].ndcg(queries) < 0.3
    assert known_item[Profile.BIGRAM_JIEBA.value].ndcg(queries) > 0.9
