"""Matching through the real engine (BM25) on both backends: a demand finds the achievement
that answers it, an achievement finds the enterprise that asked publicly, and nothing the
viewer may not see is searched or shown."""

from __future__ import annotations

import warnings
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import update

from fourchain.adapters.db.market_documents import document_sources
from fourchain.adapters.db.tables import enterprises
from fourchain.bootstrap import Database
from fourchain.domain.market import Achievement, Demand, IPStatus, TransferMode
from fourchain.domain.matching import DocumentKind
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from fourchain.services.market_matching import MarketMatching
from tests.integration.market.parties import ADMIN, ENT_A, ENT_B, PUBLIC, USER_A, USER_XMU

with warnings.catch_warnings():  # jieba warns on import; warnings are errors in tests
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.adapters.search.engine import EngineBuilder

Market = tuple[MarketRecords, ChallengeDesk]
DAY = date(2025, 3, 1)
BASE = Achievement(
    institution_id="XMU",
    title="钙钛矿叠层太阳能电池",
    abstract="钙钛矿与晶硅叠层的太阳能电池制备方法，光电转换效率高。",
    keywords=("钙钛矿", "太阳能电池"),
    trl=5,
    ip_status=IPStatus.NONE,
    transfer_modes=(TransferMode.LICENCE,),
    contact="电话",
    published=DAY,
    discipline="材料",
)


def _demand(owner: str, problem: str, confidential: bool) -> Demand:
    return Demand(owner, problem, problem, "新能源", 1e5, DAY, DAY, confidential)


@pytest.fixture
def matching(market: Market, database: Database) -> tuple[MarketMatching, dict[str, int]]:
    records, _ = market
    ids = {
        "solar": records.publish_achievement(USER_XMU, BASE),
        "hidden_solar": records.publish_achievement(
            USER_XMU, replace(BASE, title="未上架的钙钛矿电池", listed=False)
        ),
        "drug": records.publish_achievement(
            USER_XMU,
            replace(
                BASE, title="抗体药物偶联", abstract="抗体偶联药物的制备。", keywords=("抗体",)
            ),
        ),
        "public_need": records.publish_demand(
            USER_A, _demand(ENT_A.id, "钙钛矿电池效率提升", False)
        ),
        "secret_need": records.publish_demand(
            ADMIN, _demand(ENT_B.id, "钙钛矿太阳能电池量产", True)
        ),
    }
    with database.engine.begin() as connection:
        connection.execute(update(enterprises).values(main_product="电子元器件"))
    engine = MarketMatching(records, document_sources(database.engine), EngineBuilder())
    return engine, ids


def test_a_demand_finds_the_achievement_that_answers_it_but_never_an_unlisted_one(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    found = engine.for_demand(PUBLIC, ids["public_need"], top=5)
    achievements = [f.id for f in found if f.kind is DocumentKind.ACHIEVEMENT]
    assert achievements[0] == str(ids["solar"])
    assert str(ids["hidden_solar"]) not in achievements
    # The owner institution's own unlisted result is searched for its own users and the bureau.
    own = engine.for_demand(USER_XMU, ids["public_need"], top=5)
    assert str(ids["hidden_solar"]) in {f.id for f in own}


def test_a_confidential_demand_is_matched_only_for_its_enterprise_and_the_bureau(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    with pytest.raises(NotFound):
        engine.for_demand(PUBLIC, ids["secret_need"])
    with pytest.raises(NotFound):
        engine.for_demand(USER_A, ids["secret_need"])
    assert engine.for_demand(ADMIN, ids["secret_need"])


def test_an_achievement_finds_enterprises_by_their_public_demands_only(
    matching: tuple[MarketMatching, dict[str, int]],
) -> None:
    engine, ids = matching
    found = engine.for_achievement(PUBLIC, ids["solar"], top=5)
    assert [f.id for f in found][:1] == [ENT_A.id]
    # Enterprise B asked only in confidence: its secret must not make it a match.
    assert ENT_B.id not in {f.id for f in found}
    with pytest.raises(InvalidInput, match="mode"):
        engine.for_achievement(PUBLIC, ids["solar"], mode="psychic")
