"""Achievements, demands, contracts and cooperation projects round-trip through SQL on both
backends, and no list, search or detail returns a row its viewer may not see."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.market import (
    Achievement,
    ContractType,
    CooperationKind,
    CooperationProject,
    Demand,
    IPStatus,
    ListQuery,
    TechContract,
    TransferMode,
    Viewer,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from tests.integration.market.parties import (
    ADMIN,
    ANALYST,
    ENT_A,
    ENT_B,
    IUE,
    PUBLIC,
    USER_A,
    USER_B,
    USER_IUE,
    USER_XMU,
    XMU,
)

Market = tuple[MarketRecords, ChallengeDesk]


def _achievement(title: str, *, listed: bool = True, owner: str = "XMU") -> Achievement:
    return Achievement(
        institution_id=owner,
        title=title,
        abstract=f"{title}：提高良率 15%_以上的工艺方法。",
        keywords=("工艺", "良率"),
        trl=6,
        ip_status=IPStatus.GRANTED,
        transfer_modes=(TransferMode.LICENCE, TransferMode.JOINT_DEVELOPMENT),
        contact="技术转移中心 0592-2180000",
        published=date(2025, 2, 1),
        discipline="材料科学与工程",
        ipc="H01L 31/18",
        patent_numbers=("ZL202110000001.X", "ZL202110000002.3"),
        asking_terms="许可费面议",
        asking_price=800_000.0,
        cluster="new_energy",
        listed=listed,
    )


def _demand(problem: str, *, confidential: bool, owner: str = ENT_A.id) -> Demand:
    return Demand(
        credit_code=owner,
        problem=problem,
        description="需要可量产的解决方案。",
        field="电子信息",
        budget=300_000.0,
        deadline=date(2025, 12, 31),
        published=date(2025, 3, 1),
        confidential=confidential,
        cluster="electronic_information",
    )


def test_an_achievement_round_trips_with_every_field(market: Market) -> None:
    records, _ = market
    original = _achievement("钙钛矿叠层电池制备")
    new_id = records.publish_achievement(USER_XMU, original)
    stored, owner_name = records.achievement(PUBLIC, new_id)
    original.id = new_id
    assert stored == original
    assert owner_name == "厦门大学"


@pytest.mark.parametrize(
    ("viewer", "owner"),
    [(USER_IUE, "XMU"), (USER_A, "XMU"), (PUBLIC, "XMU"), (ANALYST, "XMU")],
)
def test_only_the_institution_or_a_bureau_admin_publishes_its_achievement(
    market: Market, viewer: Viewer, owner: str
) -> None:
    records, _ = market
    with pytest.raises(PermissionDenied):
        records.publish_achievement(viewer, _achievement("越权发布", owner=owner))


def test_an_achievement_of_an_unknown_institution_is_refused(market: Market) -> None:
    records, _ = market
    with pytest.raises(InvalidInput, match="no institution NOPE"):
        records.publish_achievement(ADMIN, _achievement("无主成果", owner="NOPE"))


@pytest.mark.parametrize(
    ("viewer", "titles"),
    [
        (PUBLIC, ["公开成果"]),
        (USER_IUE, ["公开成果"]),
        (USER_A, ["公开成果"]),
        (USER_XMU, ["未上架成果", "公开成果"]),
        (ADMIN, ["未上架成果", "公开成果"]),
        (ANALYST, ["未上架成果", "公开成果"]),
    ],
)
def test_an_unlisted_achievement_is_listed_only_to_its_institution_and_the_bureau(
    market: Market, viewer: Viewer, titles: list[str]
) -> None:
    records, _ = market
    records.publish_achievement(USER_XMU, _achievement("公开成果"))
    hidden = records.publish_achievement(USER_XMU, _achievement("未上架成果", listed=False))
    page = records.achievements(viewer)
    assert [a.title for a in page.items] == titles
    assert page.total == len(titles)
    if "未上架成果" not in titles:
        with pytest.raises(NotFound):
            records.achievement(viewer, hidden)


def test_the_text_filter_matches_literally_even_with_like_wildcards(market: Market) -> None:
    records, _ = market
    records.publish_achievement(USER_XMU, _achievement("钙钛矿电池"))
    records.publish_achievement(USER_XMU, _achievement("碳化硅器件"))
    assert records.achievements(PUBLIC, ListQuery(text="碳化硅")).total == 1
    assert records.achievements(PUBLIC, ListQuery(text="15%_以上")).total == 2
    assert records.achievements(PUBLIC, ListQuery(text="%")).total == 2  # both abstracts say 15%
    assert records.achievements(PUBLIC, ListQuery(text="100%")).total == 0
    assert records.achievements(PUBLIC, ListQuery(trl_min=7)).total == 0


VIEWERS_ON_DEMANDS = [
    (ADMIN, {"公开需求", "甲的保密需求", "乙的保密需求"}),
    (ANALYST, {"公开需求", "甲的保密需求", "乙的保密需求"}),
    (USER_A, {"公开需求", "甲的保密需求"}),
    (USER_B, {"公开需求", "乙的保密需求"}),
    (USER_XMU, {"公开需求"}),
    (PUBLIC, {"公开需求"}),
]


@pytest.mark.parametrize(("viewer", "problems"), VIEWERS_ON_DEMANDS)
def test_a_confidential_demand_never_leaves_its_enterprise_and_the_bureau(
    market: Market, viewer: Viewer, problems: set[str]
) -> None:
    records, _ = market
    ids = {
        "公开需求": records.publish_demand(USER_A, _demand("公开需求", confidential=False)),
        "甲的保密需求": records.publish_demand(USER_A, _demand("甲的保密需求", confidential=True)),
        "乙的保密需求": records.publish_demand(
            USER_B, _demand("乙的保密需求", confidential=True, owner=ENT_B.id)
        ),
    }
    page = records.demands(viewer)
    assert {d.problem for d in page.items} == problems
    assert page.total == len(problems)
    # A search for the secret's own words finds nothing for those who may not see it.
    assert records.demands(viewer, ListQuery(text="保密")).total == len(problems) - 1
    for problem, demand_id in ids.items():
        if problem in problems:
            assert records.demand(viewer, demand_id)[0].problem == problem
        else:
            with pytest.raises(NotFound):
                records.demand(viewer, demand_id)


def test_an_enterprise_publishes_demands_only_for_itself(market: Market) -> None:
    records, _ = market
    with pytest.raises(PermissionDenied):
        records.publish_demand(USER_B, _demand("冒名需求", confidential=False))


def _contract(number: str, seller: object = XMU, buyer: object = ENT_A) -> TechContract:
    return TechContract(
        number=number,
        title="叠层电池工艺许可",
        seller=seller,  # type: ignore[arg-type]
        buyer=buyer,  # type: ignore[arg-type]
        type=ContractType.LICENCE,
        value=1_200_000.0,
        signed=date(2024, 4, 1),
        registered=date(2024, 4, 15),
    )


@pytest.mark.parametrize(
    ("viewer", "numbers"),
    [
        (ADMIN, ["C2", "C1"]),
        (ANALYST, ["C2", "C1"]),
        (USER_XMU, ["C1"]),
        (USER_A, ["C1"]),
        (USER_B, ["C2"]),
        (USER_IUE, ["C2"]),
        (PUBLIC, []),
    ],
)
def test_a_contract_is_listed_only_to_its_parties_and_the_bureau(
    market: Market, viewer: Viewer, numbers: list[str]
) -> None:
    records, _ = market
    records.register_contract(ADMIN, _contract("C1"))
    records.register_contract(ADMIN, _contract("C2", seller=IUE, buyer=ENT_B))
    assert [c.number for c in records.contracts(viewer).items] == numbers


def test_a_contract_registers_once_between_known_parties(market: Market) -> None:
    records, _ = market
    records.register_contract(ADMIN, _contract("C1"))
    with pytest.raises(Conflict, match="C1"):
        records.register_contract(ADMIN, _contract("C1"))
    with pytest.raises(PermissionDenied):
        records.register_contract(USER_A, _contract("C3"))
    with pytest.raises(InvalidInput, match="contract.buyer"):
        records.register_contract(ADMIN, _contract("C4", buyer=ENT_A.__class__(ENT_A.kind, "X")))
    assert records.contract_turnover(ANALYST) == {2024: (1, 1_200_000.0)}
    with pytest.raises(PermissionDenied):
        records.contract_turnover(USER_A)


def test_cooperation_projects_are_counted_by_kind_and_year(market: Market) -> None:
    records, _ = market
    projects = [
        CooperationProject(CooperationKind.IUR, 2021, "校企联合研发", ENT_A, (XMU,), 500_000.0),
        CooperationProject(CooperationKind.IUR, 2021, "联合实验室", ENT_B, (IUE, XMU)),
        CooperationProject(CooperationKind.BREAKTHROUGH, 2023, "重大攻关", ENT_A, (IUE,)),
    ]
    assert records.add_cooperation_projects(ADMIN, projects) == 3
    counts = records.cooperation_counts()
    assert counts["iur"] == {2021: 2}
    assert counts["breakthrough"] == {2023: 1}
    assert counts["challenge"] == {}
