"""Contracts and cooperation projects are corrected by bureau administrators on both
backends: the change and its audit entry (naming the changed fields) commit together, and a
withdrawn record cannot be edited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from fourchain.adapters.db.tables_accounts import audit_log
from fourchain.bootstrap import Database
from fourchain.domain.audit import details
from fourchain.domain.market import (
    ContractType,
    CooperationKind,
    CooperationProject,
    Party,
    PartyKind,
    TechContract,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from tests.integration.market.parties import ADMIN, ANALYST, ENT_A, ENT_B, IUE, XMU

Market = tuple[MarketRecords, ChallengeDesk]


def _contract(number: str, value: float = 1_200_000.0) -> TechContract:
    return TechContract(
        number=number,
        title="叠层电池工艺许可",
        seller=XMU,
        buyer=ENT_A,
        type=ContractType.LICENCE,
        value=value,
        signed=date(2024, 4, 1),
        registered=date(2024, 4, 15),
    )


def _last_audit(database: Database) -> tuple[str, str, str]:
    a = audit_log.c
    query = select(a.action, a.object, a.detail).order_by(a.seq.desc()).limit(1)
    with database.engine.connect() as connection:
        row = connection.execute(query).one()
    return row.action, row.object, row.detail


def test_a_contract_is_corrected_and_the_audit_names_what_changed(
    market: Market, database: Database
) -> None:
    records, _ = market
    new_id = records.register_contract(ADMIN, _contract("C1"))
    records.edit_contract(ADMIN, new_id, replace(_contract("C1", 800_000.0), buyer=ENT_B))
    found = records.contract(ADMIN, new_id)
    assert (found.value, found.buyer, found.id) == (800_000.0, ENT_B, new_id)
    assert _last_audit(database) == (
        "record_edited",
        f"tech_contract:{new_id}",
        details(changed=["buyer", "value"]),
    )
    assert records.contract_turnover(ADMIN) == {2024: (1, 800_000.0)}


def test_a_contract_edit_is_refused_like_a_registration(market: Market) -> None:
    records, _ = market
    first = records.register_contract(ADMIN, _contract("C1"))
    records.register_contract(ADMIN, _contract("C2"))
    with pytest.raises(Conflict, match="C2"):
        records.edit_contract(ADMIN, first, _contract("C2"))
    with pytest.raises(InvalidInput, match="contract.buyer"):
        records.edit_contract(ADMIN, first, replace(_contract("C1"), buyer=XMU))
    with pytest.raises(InvalidInput, match="contract.seller"):
        unknown = Party(PartyKind.INSTITUTION, "NOPE")
        records.edit_contract(ADMIN, first, replace(_contract("C1"), seller=unknown))
    with pytest.raises(PermissionDenied):
        records.edit_contract(ANALYST, first, _contract("C1", 1.0))
    with pytest.raises(NotFound):
        records.edit_contract(ADMIN, 999, _contract("C9"))
    records.withdraw_contract(ADMIN, first)
    with pytest.raises(NotFound):
        records.edit_contract(ADMIN, first, _contract("C1", 5.0))
    assert records.contract_turnover(ADMIN) == {2024: (1, 1_200_000.0)}


def test_a_cooperation_project_is_corrected_then_withdrawn(
    market: Market, database: Database
) -> None:
    records, _ = market
    project = CooperationProject(CooperationKind.IUR, 2021, "校企联合研发", ENT_A, (XMU,), 5e5)
    records.add_cooperation_projects(ADMIN, [project])
    (saved,) = records.cooperation_projects(ADMIN).items
    assert saved.id is not None
    edited = replace(project, year=2022, partners=(XMU, IUE))
    records.edit_cooperation_project(ADMIN, saved.id, edited)
    assert records.cooperation_project(ADMIN, saved.id) == replace(edited, id=saved.id)
    assert records.cooperation_counts()["iur"] == {2022: 1}
    obj = f"cooperation_project:{saved.id}"
    assert _last_audit(database) == ("record_edited", obj, details(changed=["year", "partners"]))
    with pytest.raises(InvalidInput, match="partners"):
        records.edit_cooperation_project(ADMIN, saved.id, replace(project, partners=(ENT_A,)))
    with pytest.raises(PermissionDenied):
        records.edit_cooperation_project(ANALYST, saved.id, edited)
    records.withdraw_cooperation_project(ADMIN, saved.id, "登记重复")
    with pytest.raises(NotFound):
        records.edit_cooperation_project(ADMIN, saved.id, edited)
    assert records.cooperation_projects(ADMIN).items == []
