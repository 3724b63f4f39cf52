"""A small registry for pipeline tests: one host institution per stage, a chain, enterprises."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.tables import chains, enterprises, institutions
from fourchain.bootstrap import Database
from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.pipeline import STAGE_HOST_KIND, STAGES, Project

HOSTS = {stage: f"host-{stage.value}" for stage in STAGES}
GRADUATE = make_credit_code("91350200MA2Y00001")
OTHER = make_credit_code("91350200MA2Y00002")


def seed_registry(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(chains),
            [
                {
                    "key": "batteries",
                    "name_zh": "锂电池",
                    "name_en": "Batteries",
                    "cluster": "new_energy",
                }
            ],
        )
        connection.execute(
            insert(enterprises),
            [
                {"credit_code": code, "name": name, "cluster": "new_energy"}
                for code, name in ((GRADUATE, "厦门固锂科技有限公司"), (OTHER, "厦门某企业"))
            ],
        )
        connection.execute(
            insert(institutions),
            [
                {
                    "id": HOSTS[s],
                    "name": f"平台 {s.value}",
                    "kind": STAGE_HOST_KIND[s].value,
                    "zone": "厦门科学城核心区",
                }
                for s in STAGES
            ],
        )
        SqlPipelineStore(connection).add_projects(
            [
                Project(
                    "P1",
                    "固态电池电解质",
                    date(2021, 1, 1),
                    "officer",
                    "new_energy",
                    "batteries",
                    HOSTS[STAGES[0]],
                )
            ]
        )


@pytest.fixture
def seeded(database: Database) -> Database:
    seed_registry(database)
    return database
