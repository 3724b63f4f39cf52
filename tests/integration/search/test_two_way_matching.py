"""Both directions of the market: a demand finds supply, an achievement finds enterprises."""

from __future__ import annotations

from pathlib import Path

import pytest

from fourchain.adapters.search.engine import EngineBuilder, MatchingEngine
from fourchain.domain.matching import Document, DocumentKind
from fourchain.services.matching import index_corpus

K = DocumentKind
RECORDS = [
    Document("d1", {"title": "寻求固态电池电解质量产技术", "need": "提高锂电池安全性"}, K.DEMAND),
    Document(
        "a1", {"title": "硫化物固态电解质及其制备方法", "abstract": "固态电池"}, K.ACHIEVEMENT
    ),
    Document("a2", {"title": "海水养殖尾水处理工艺", "abstract": "水产养殖"}, K.ACHIEVEMENT),
    Document("x1", {"name": "张教授", "research": "固态电池电解质界面"}, K.EXPERT),
    Document("i1", {"name": "储能材料研究院", "research": "锂电池 固态电池"}, K.INSTITUTION),
    Document(
        "e1",
        {"industry": "新能源", "products": "动力电池", "past_demands": "固态电解质 提高电池安全性"},
        K.ENTERPRISE,
    ),
    Document(
        "e2", {"industry": "水产", "products": "鲍鱼 养殖", "past_demands": "尾水"}, K.ENTERPRISE
    ),
]


@pytest.fixture
def engine() -> MatchingEngine:
    return EngineBuilder()(RECORDS, with_vectors=False)


def test_a_demand_finds_achievements_experts_and_institutions_only(
    engine: MatchingEngine,
) -> None:
    matches = engine.match_document("d1", mode="bm25")
    assert {m.kind for m in matches} <= {K.ACHIEVEMENT, K.EXPERT, K.INSTITUTION}
    assert {"a1", "x1", "i1"} <= {m.id for m in matches}
    assert "d1" not in {m.id for m in matches}


def test_an_achievement_finds_the_enterprises_whose_profile_suggests_a_need(
    engine: MatchingEngine,
) -> None:
    matches = engine.match_document("a1", mode="bm25")
    assert [m.id for m in matches][0] == "e1"
    assert {m.kind for m in matches} == {K.ENTERPRISE}
    assert "past_demands" in matches[0].explanation.matched_fields


def test_the_index_use_case_saves_an_index_that_opens_for_matching(tmp_path: Path) -> None:
    summary = index_corpus(RECORDS, tmp_path / "market", build=EngineBuilder(), with_vectors=False)
    assert summary.documents == len(RECORDS)
    reopened = MatchingEngine.open(tmp_path / "market")
    assert reopened.match_document("a2", mode="bm25")[0].id == "e2"
