"""The market's record use cases on the in-memory unit of work (no database): who may
publish what, what each viewer sees, and that a refused write leaves nothing behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from fourchain.domain.accounts import Role
from fourchain.domain.market import (
    PUBLIC,
    Achievement,
    ContractType,
    CooperationKind,
    CooperationProject,
    Demand,
    IPStatus,
    ListQuery,
    Party,
    PartyKind,
    TechContract,
    TransferMode,
    Viewer,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.market import MarketRecords
from tests.fakes.market import FakeMarket, FakeMarketUnits

TODAY = date(2025, 6, 1)
LAB = Party(PartyKind.INSTITUTION, "xmu")
OTHER_LAB = Party(PartyKind.INSTITUTION, "hqu")
FIRM = Party(PartyKind.ENTERPRISE, "91350200MA00000011")
NO_FIRM = Party(PartyKind.ENTERPRISE, "no-such")
ADMIN = Viewer(Role.BUREAU_ADMIN)
ANALYST = Viewer(Role.BUREAU_ANALYST)
LAB_USER = Viewer(Role.INSTITUTION_USER, LAB)
OTHER_LAB_USER = Viewer(Role.INSTITUTION_USER, OTHER_LAB)
FIRM_USER = Viewer(Role.ENTERPRISE_USER, FIRM)
SOLAR = Achievement(
    institution_id=LAB.id,
    title="钙钛矿叠层电池",
    abstract="高效率光伏组件",
    keywords=("光伏",),
    trl=5,
    ip_status=IPStatus.GRANTED,
    transfer_modes=(TransferMode.LICENCE,),
    contact="tech@xmu.example",
    published=TODAY,
    discipline="材料",
    patent_numbers=("CN202310000001.X",),
)
NEED = Demand(
    credit_code=FIRM.id,
    problem="电池封装良率",
    description="封装良率低于九成",
    field="新能源",
    budget=500_000.0,
    deadline=date(2025, 12, 31),
    published=TODAY,
)


@pytest.fixture
def units() -> FakeMarketUnits:
    market = FakeMarket(parties={LAB: "厦门大学", OTHER_LAB: "华侨大学", FIRM: "厦门光能"})
    return FakeMarketUnits(market=market)


@pytest.fixture
def records(units: FakeMarketUnits) -> MarketRecords:
    return MarketRecords(units, lambda: TODAY)


@pytest.mark.parametrize("viewer", [LAB_USER, ADMIN])
def test_an_institution_or_the_bureau_publishes_the_institutions_achievement(
    records: MarketRecords, viewer: Viewer
) -> None:
    key = records.publish_achievement(viewer, SOLAR)
    found, owner = records.achievement(PUBLIC, key)
    assert (found.title, owner) == (SOLAR.title, "厦门大学")


@pytest.mark.parametrize(
    ("viewer", "achievement", "error"),
    [
        (OTHER_LAB_USER, SOLAR, PermissionDenied),
        (FIRM_USER, SOLAR, PermissionDenied),
        (ANALYST, SOLAR, PermissionDenied),
        (ADMIN, replace(SOLAR, institution_id="nowhere"), InvalidInput),
        (ADMIN, replace(SOLAR, trl=10), InvalidInput),
    ],
)
def test_a_refused_achievement_writes_nothing(
    records: MarketRecords,
    units: FakeMarketUnits,
    viewer: Viewer,
    achievement: Achievement,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        records.publish_achievement(viewer, achievement)
    assert units.market.achievements_by_id == {}


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [(PUBLIC, False), (OTHER_LAB_USER, False), (FIRM_USER, True), (ANALYST, True)],
)
def test_a_confidential_demand_is_not_found_for_those_who_may_not_see_it(
    records: MarketRecords, viewer: Viewer, sees: bool
) -> None:
    key = records.publish_demand(FIRM_USER, replace(NEED, confidential=True))
    if sees:
        assert records.demand(viewer, key)[0].problem == NEED.problem
        assert records.demands(viewer).total == 1
    else:
        with pytest.raises(NotFound):
            records.demand(viewer, key)
        assert records.demands(viewer).items == []


def test_an_unlisted_achievement_stays_with_its_institution_and_the_bureau(
    records: MarketRecords,
) -> None:
    key = records.publish_achievement(LAB_USER, SOLAR)
    records.set_achievement_listed(LAB_USER, key, listed=False)
    with pytest.raises(NotFound):
        records.achievement(PUBLIC, key)
    assert records.achievement(LAB_USER, key)[0].listed is False
    assert records.achievements(ADMIN).total == 1


def test_a_contract_number_is_registered_once(records: MarketRecords) -> None:
    contract = TechContract(
        number="2025350200000001",
        title="电池封装技术许可",
        seller=LAB,
        buyer=FIRM,
        type=ContractType.LICENCE,
        value=1_200_000.0,
        signed=date(2025, 3, 1),
        registered=date(2025, 3, 5),
    )
    records.register_contract(ADMIN, contract)
    with pytest.raises(Conflict):
        records.register_contract(ADMIN, contract)
    assert records.contract_turnover(ADMIN) == {2025: (1, 1_200_000.0)}
    with pytest.raises(PermissionDenied):
        records.register_contract(FIRM_USER, replace(contract, number="2"))


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_cooperation_project_is_withdrawn_only_with_a_reason(
    records: MarketRecords, reason: str
) -> None:
    project = CooperationProject(CooperationKind.IUR, 2025, "联合攻关", FIRM, (LAB,))
    project_id = records.add_cooperation_project(ADMIN, project)
    with pytest.raises(InvalidInput, match="^reason:"):
        records.withdraw_cooperation_project(ADMIN, project_id, reason)
    assert records.cooperation_projects(ADMIN).total == 1
    with pytest.raises(PermissionDenied):
        records.withdraw_cooperation_project(ANALYST, project_id, "重复")
    records.withdraw_cooperation_project(ADMIN, project_id, " 重复\n登记 ")
    assert records.cooperation_projects(ADMIN).total == 0
    with pytest.raises(NotFound):
        records.withdraw_cooperation_project(ADMIN, project_id, "重复登记")


@pytest.mark.parametrize(
    ("lead", "partners", "field"),
    [(NO_FIRM, (), "lead"), (FIRM, (LAB, NO_FIRM), "partners")],
)
def test_a_refused_cooperation_project_names_the_form_field(
    records: MarketRecords, lead: Party, partners: tuple[Party, ...], field: str
) -> None:
    project = CooperationProject(CooperationKind.IUR, 2025, "联合攻关", lead, partners)
    with pytest.raises(InvalidInput, match=f"^cooperation_project.{field}:"):
        records.add_cooperation_project(ADMIN, project)
    assert records.cooperation_projects(ADMIN).items == []


def test_the_cooperation_list_is_filtered_by_title_and_ordered(records: MarketRecords) -> None:
    titles = ["港口联合攻关", "芯片联合实验室", "港口智能调度"]
    records.add_cooperation_projects(
        ADMIN,
        [CooperationProject(CooperationKind.IUR, 2021 + n, t, FIRM) for n, t in enumerate(titles)],
    )
    found = records.cooperation_projects(ADMIN, ListQuery("港口", sort="year"))
    assert [p.title for p in found.items] == ["港口智能调度", "港口联合攻关"]
    assert found.names == {FIRM: "厦门光能"}
    with pytest.raises(InvalidInput, match="^sort:"):
        records.cooperation_projects(ADMIN, ListQuery(sort="published"))
    with pytest.raises(PermissionDenied):
        records.cooperation_projects(FIRM_USER)
