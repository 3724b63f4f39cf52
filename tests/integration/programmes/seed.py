"""A small programme desk for tests: one enterprise, one institution, a challenge call's expert
panel (three outside experts and one from the institution), and one applied project."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert

from fourchain.adapters.db.programmes_repo import programme_units
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_market import challenge_calls, challenge_reviewers
from fourchain.bootstrap import Database
from fourchain.domain.accounts import Role
from fourchain.domain.market import Party, PartyKind, Viewer
from fourchain.domain.programmes import Programme, ProgrammeCall, ProgrammeKind, ProgrammeProject
from fourchain.services.programmes import ProgrammeDesk

ADMIN = Viewer(Role.BUREAU_ADMIN, username="bureau")
ANALYST = Viewer(Role.BUREAU_ANALYST)
LEAD = Party(PartyKind.ENTERPRISE, "91350200MA00000011")
XMU = Party(PartyKind.INSTITUTION, "XMU")


def make_desk(database: Database) -> ProgrammeDesk:
    with database.engine.begin() as connection:
        connection.execute(insert(enterprises), [{"credit_code": LEAD.id, "name": "厦门甲科技"}])
        connection.execute(
            insert(institutions), [{"id": "XMU", "name": "厦门大学", "kind": "university"}]
        )
        connection.execute(
            insert(challenge_calls).values(
                id=1,
                title="评审专家组",
                problem="专家库",
                conditions="—",
                reward=0.0,
                apply_by=date(2023, 12, 31),
                field="—",
                rubric="[]",
                min_reviews=2,
                state="draft",
            )
        )
        connection.execute(
            insert(challenge_reviewers),
            [
                {
                    "call_id": 1,
                    "expert_id": f"e{i}",
                    "name": f"专家{i}",
                    "affiliation_kind": None,
                    "affiliation_id": None,
                }
                for i in range(3)
            ]
            + [
                {
                    "call_id": 1,
                    "expert_id": "x",
                    "name": "厦大专家",
                    "affiliation_kind": "institution",
                    "affiliation_id": "XMU",
                }
            ],
        )
    return ProgrammeDesk(programme_units(database.engine, database.audit_key))


def seed_project(desk: ProgrammeDesk) -> int:
    desk.add_programme(
        ADMIN, Programme("key_rd", "重点研发计划", "Key R&D programme", ProgrammeKind.BREAKTHROUGH)
    )
    call = desk.add_call(ADMIN, ProgrammeCall("key_rd", 2023, "2023年度重点研发计划", 1))
    return desk.add_project(
        ADMIN,
        ProgrammeProject(
            call,
            "第三代半导体外延关键技术",
            LEAD,
            date(2023, 3, 1),
            (XMU,),
            public_budget=3_000_000,
            self_raised=5_000_000,
            cluster="new_display",
        ),
    )
