"""A small market on both backends: two enterprises, three institutions, services wired to
the SQL repositories, and a fixed 'today'."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from fourchain.adapters.db.market_repo import market_units
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.bootstrap import Database
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from tests.integration.market.parties import ENT_A, ENT_B, TODAY


@pytest.fixture
def market(database: Database) -> tuple[MarketRecords, ChallengeDesk]:
    with database.engine.begin() as connection:
        connection.execute(
            insert(enterprises),
            [
                {"credit_code": ENT_A.id, "name": "厦门甲科技有限公司"},
                {"credit_code": ENT_B.id, "name": "厦门乙电子有限公司"},
            ],
        )
        connection.execute(
            insert(institutions),
            [
                {"id": "XMU", "name": "厦门大学", "kind": "university"},
                {"id": "IUE", "name": "中科院城市环境研究所", "kind": "research_institute"},
                {"id": "JML", "name": "嘉庚创新实验室", "kind": "provincial_lab"},
            ],
        )
    units = market_units(database.engine, database.audit_key)
    return MarketRecords(units, lambda: TODAY), ChallengeDesk(units, lambda: TODAY)
