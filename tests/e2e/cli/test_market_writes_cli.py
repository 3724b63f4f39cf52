"""`fourchain demands withdraw ID`, `achievements withdraw ID`, `contracts withdraw ID` and
`cooperation withdraw ID`: the record leaves the market, the audit trail names the user who
ran the command, and a missing or already withdrawn record exits 2 with one line."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import pytest

from fourchain.bootstrap import Database, open_services
from fourchain.bootstrap.market import build
from fourchain.config import get_settings
from fourchain.domain.audit import detail_fields, details
from fourchain.domain.market import (
    BUREAU_VIEWER,
    PUBLIC,
    ContractType,
    CooperationKind,
    CooperationProject,
    Party,
    PartyKind,
    TechContract,
)
from fourchain.entrypoints.cli.main import run
from fourchain.services.jobs import MARKET_INDEX_SYNC
from tests.integration.web.fixtures import OWN, OWN_INSTITUTION, seed_registry
from tests.integration.web.test_market_matrix import _achievement, _demand


@pytest.mark.parametrize("kind", ["demands", "achievements"])
def test_a_withdrawal_from_the_command_line_is_audited_under_the_user_who_ran_it(
    sqlite_database: Database, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_registry(sqlite_database.engine)
    records = build(sqlite_database, get_settings()).records
    if kind == "demands":
        ident = records.publish_demand(BUREAU_VIEWER, _demand(OWN, "可撤回需求", False))
    else:
        ident = records.publish_achievement(
            BUREAU_VIEWER, _achievement(OWN_INSTITUTION, "可撤回成果", True)
        )
    db = str(Path(str(sqlite_database.engine.url.database)))
    assert run([kind, "withdraw", str(ident), "--reason", "发布有误", "--db", db]) == 0
    assert f"{ident} withdrawn" in capsys.readouterr().out
    listed = records.demands(PUBLIC) if kind == "demands" else records.achievements(PUBLIC)
    assert listed.total == 0
    last = list(sqlite_database.audit_trail().store.in_order())[-1].event
    singular = kind[:-1]
    assert (last.action, last.object, last.username) == (
        "record_withdrawn",
        f"{singular}:{ident}",
        f"cli:{getpass.getuser()}",
    )
    assert (detail_fields(last.detail) or {}).get("reason") == "发布有误"
    # matching follows: an index sync waits for the job worker, as after a browser withdrawal
    with open_services(db) as services:
        assert services.jobs.jobs.latest(MARKET_INDEX_SYNC) is not None
    for again in (str(ident), "987654"):
        assert run([kind, "withdraw", again, "--db", db]) == 2
        assert capsys.readouterr().err.count("\n") == 1


def test_the_bureau_withdraws_a_contract_and_a_cooperation_project_from_the_command_line(
    sqlite_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_registry(sqlite_database.engine)
    records = build(sqlite_database, get_settings()).records
    contract = TechContract(
        number="CLI-1",
        title="命令行撤回的合同",
        seller=Party(PartyKind.INSTITUTION, OWN_INSTITUTION),
        buyer=Party(PartyKind.ENTERPRISE, OWN),
        type=ContractType.LICENCE,
        value=1_000_000.0,
        signed=date(2025, 3, 1),
        registered=date(2025, 3, 2),
    )
    contract_id = records.register_contract(BUREAU_VIEWER, contract)
    project = CooperationProject(
        CooperationKind.IUR, 2025, "命令行撤回的项目", Party(PartyKind.ENTERPRISE, OWN)
    )
    records.add_cooperation_projects(BUREAU_VIEWER, [project])
    (saved,) = records.cooperation_projects(BUREAU_VIEWER).items
    db = str(Path(str(sqlite_database.engine.url.database)))
    assert run(["contracts", "withdraw", str(contract_id), "--db", db]) == 0
    withdraw = ["cooperation", "withdraw", str(saved.id), "--reason", "重复登记", "--db", db]
    assert run(withdraw) == 0
    out = capsys.readouterr().out
    assert f"contract {contract_id} withdrawn" in out
    assert f"cooperation project {saved.id} withdrawn" in out
    assert records.contracts(BUREAU_VIEWER).total == 0
    assert records.cooperation_counts()["iur"] == {}
    withdrawn = [
        (e.event.object, e.event.username, e.event.detail)
        for e in sqlite_database.audit_trail().store.in_order()
        if e.event.action == "record_withdrawn"
    ]
    user = f"cli:{getpass.getuser()}"
    assert withdrawn[0][:2] == (f"tech_contract:{contract_id}", user)
    assert withdrawn[1] == (
        f"cooperation_project:{saved.id}",
        user,
        details(title="命令行撤回的项目", reason="重复登记"),
    )
    for command in (
        ["contracts", "withdraw", str(contract_id)],
        ["cooperation", "withdraw", "987654"],
    ):
        assert run([*command, "--db", db]) == 2
        assert capsys.readouterr().err.count("\n") == 1
