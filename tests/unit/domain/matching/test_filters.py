"""Filters on kind, field, TRL range, IP status and district; documents and explanations."""

from __future__ import annotations

import pytest

from fourchain.domain.matching import (
    TARGETS,
    Attributes,
    Document,
    DocumentKind,
    Explanation,
    Filters,
    keywords_text,
)
from fourchain.errors import InvalidInput

BATTERY = Attributes(field="新能源", trl=6, ip_status="已授权", district="集美区")
UNSTATED = Attributes()


@pytest.mark.parametrize(
    ("filters", "attributes", "accepted"),
    [
        (Filters(), UNSTATED, True),
        (Filters(fields=frozenset({"新能源"})), BATTERY, True),
        (Filters(fields=frozenset({"生物医药"})), BATTERY, False),
        (Filters(trl_min=5, trl_max=7), BATTERY, True),
        (Filters(trl_min=7), BATTERY, False),
        (Filters(trl_max=6), BATTERY, True),
        (Filters(trl_max=5), BATTERY, False),
        (Filters(trl_min=1), UNSTATED, False),  # unknown maturity fails any TRL range
        (Filters(ip_statuses=frozenset({"已授权", "申请中"})), BATTERY, True),
        (Filters(ip_statuses=frozenset({"申请中"})), BATTERY, False),
        (Filters(districts=frozenset({"集美区"})), BATTERY, True),
        (Filters(districts=frozenset({"思明区"})), BATTERY, False),
        (Filters(districts=frozenset({"思明区"})), UNSTATED, False),
    ],
)
def test_filters_accept_only_documents_with_matching_attributes(
    filters: Filters, attributes: Attributes, accepted: bool
) -> None:
    assert filters.accepts(DocumentKind.ACHIEVEMENT, attributes) is accepted


def test_a_kind_filter_keeps_only_the_wanted_kinds() -> None:
    experts = Filters(kinds=frozenset({DocumentKind.EXPERT}))
    assert experts.accepts(DocumentKind.EXPERT, UNSTATED)
    assert not experts.accepts(DocumentKind.ACHIEVEMENT, UNSTATED)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"trl_min": 0}, "trl_min must be between 1 and 9"),
        ({"trl_max": 10}, "trl_max must be between 1 and 9"),
        ({"trl_min": 7, "trl_max": 3}, "TRL range is empty"),
    ],
)
def test_an_impossible_trl_range_is_refused(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Filters(**kwargs)  # type: ignore[arg-type]


def test_an_empty_filter_says_so() -> None:
    assert Filters().is_empty
    assert not Filters(trl_min=3).is_empty


def test_a_demand_looks_for_supply_and_an_achievement_for_enterprises() -> None:
    assert DocumentKind.ACHIEVEMENT in TARGETS[DocumentKind.DEMAND]
    assert DocumentKind.EXPERT in TARGETS[DocumentKind.DEMAND]
    assert DocumentKind.INSTITUTION in TARGETS[DocumentKind.DEMAND]
    assert TARGETS[DocumentKind.ACHIEVEMENT] == (DocumentKind.ENTERPRISE,)


def test_a_document_round_trips_through_json() -> None:
    document = Document("a1", {"title": "固态电池", "abstract": ""}, DocumentKind.DEMAND, BATTERY)
    assert Document.from_json(document.as_json()) == document
    assert document.text == "固态电池"


@pytest.mark.parametrize("trl", [0, 10])
def test_a_trl_outside_one_to_nine_is_refused(trl: int) -> None:
    with pytest.raises(InvalidInput, match="TRL must be between 1 and 9"):
        Attributes(trl=trl)


def test_a_document_needs_an_id() -> None:
    with pytest.raises(InvalidInput, match="non-empty id"):
        Document("", {"title": "x"})


@pytest.mark.parametrize(
    ("keywords", "text"),
    [(None, ""), ([], ""), (["储能", "氢能"], "储能; 氢能"), ("储能", "储能")],
)
def test_keywords_become_one_fields_text(keywords: object, text: str) -> None:
    assert keywords_text(keywords) == text


def test_keywords_of_another_type_are_refused() -> None:
    with pytest.raises(InvalidInput, match="keywords must be a list"):
        keywords_text(3)


def test_an_explanation_names_matched_fields_and_both_retrievers() -> None:
    explanation = Explanation(
        terms={"title": ("储能",), "abstract": ()}, bm25=3.2, bm25_rank=1, cosine=0.5, dense_rank=4
    )
    assert explanation.matched_fields == ("title",)
    assert explanation.found_by == ("bm25", "dense")
    assert "title: 储能" in explanation.summary_zh()
    assert explanation.as_json()["terms"] == {"title": ["储能"]}
