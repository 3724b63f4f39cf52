"""The market's records validate their fields, and confidential rows stay with their owners."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from fourchain.domain.accounts import Role
from fourchain.domain.market import (
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
    may_see_achievement,
    may_see_contract,
    may_see_demand,
)
from fourchain.errors import InvalidInput

ENT = Party(PartyKind.ENTERPRISE, "91350200MA00000011")
OTHER_ENT = Party(PartyKind.ENTERPRISE, "91350200MA00000022")
INST = Party(PartyKind.INSTITUTION, "XMU")
OTHER_INST = Party(PartyKind.INSTITUTION, "IUE")

ACHIEVEMENT = Achievement(
    institution_id="XMU",
    title="高效钙钛矿叠层电池制备工艺",
    abstract="一种提高钙钛矿/晶硅叠层电池效率的制备方法。",
    keywords=("钙钛矿", "叠层电池"),
    trl=5,
    ip_status=IPStatus.GRANTED,
    transfer_modes=(TransferMode.LICENCE,),
    contact="张老师 0592-0000000",
    published=date(2025, 3, 1),
    discipline="材料科学",
    patent_numbers=("ZL202110000001.X",),
)
DEMAND = Demand(
    credit_code=ENT.id,
    problem="动力电池热失控预警",
    description="需要一种早期预警方法。",
    field="新能源",
    budget=500_000.0,
    deadline=date(2025, 12, 31),
    published=date(2025, 1, 10),
    confidential=True,
)
CONTRACT = TechContract(
    number="3502002025000001",
    title="叠层电池工艺许可",
    seller=INST,
    buyer=ENT,
    type=ContractType.LICENCE,
    value=1_200_000.0,
    signed=date(2025, 4, 1),
    registered=date(2025, 4, 15),
)


def test_a_complete_achievement_validates() -> None:
    assert ACHIEVEMENT.validate() is ACHIEVEMENT


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trl": 0}, "trl"),
        ({"trl": 10}, "trl"),
        ({"title": "  "}, "title"),
        ({"abstract": ""}, "abstract"),
        ({"contact": ""}, "contact"),
        ({"discipline": None, "ipc": None}, "discipline"),
        ({"keywords": ()}, "keywords"),
        ({"keywords": ("钙钛矿", " ")}, "keywords"),
        ({"transfer_modes": ()}, "transfer_modes"),
        ({"patent_numbers": ()}, "patent_numbers"),
        ({"ip_status": IPStatus.NONE}, "patent_numbers"),
        ({"ip_status": IPStatus.APPLIED, "patent_numbers": ()}, "patent_numbers"),
        ({"asking_price": -1.0}, "asking_price"),
        ({"asking_price": float("nan")}, "asking_price"),
        ({"title": "x" * 301}, "title"),
    ],
)
def test_a_bad_achievement_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput, match=rf"achievement\.{field}"):
        replace(ACHIEVEMENT, **change).validate()  # type: ignore[arg-type]


@pytest.mark.parametrize("trl", range(1, 10))
def test_every_trl_from_one_to_nine_is_accepted(trl: int) -> None:
    replace(ACHIEVEMENT, trl=trl).validate()


def test_an_achievement_without_patents_may_have_no_numbers() -> None:
    replace(ACHIEVEMENT, ip_status=IPStatus.TRADE_SECRET, patent_numbers=()).validate()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": -0.01}, "budget"),
        ({"deadline": date(2024, 12, 31)}, "deadline"),
        ({"problem": ""}, "problem"),
        ({"field": ""}, "field"),
    ],
)
def test_a_bad_demand_is_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput, match=rf"demand\.{field}"):
        replace(DEMAND, **change).validate()  # type: ignore[arg-type]


def test_a_demand_may_have_no_budget_and_end_on_its_publication_day() -> None:
    replace(DEMAND, budget=0.0, deadline=DEMAND.published).validate()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"buyer": INST}, "buyer"),
        ({"value": -5.0}, "value"),
        ({"registered": date(2025, 3, 31)}, "registered"),
        ({"number": ""}, "number"),
    ],
)
def test_a_bad_contract_is_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput, match=rf"contract\.{field}"):
        replace(CONTRACT, **change).validate()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("project", "field"),
    [
        (CooperationProject(CooperationKind.IUR, 1979, "t", ENT), "year"),
        (CooperationProject(CooperationKind.IUR, 2024, "t", ENT, (ENT,)), "partners"),
        (CooperationProject(CooperationKind.CHALLENGE, 2024, "t", ENT), "challenge_call_id"),
        (CooperationProject(CooperationKind.BREAKTHROUGH, 2024, "t", ENT, funding=-1), "funding"),
    ],
)
def test_a_bad_cooperation_project_is_refused(project: CooperationProject, field: str) -> None:
    with pytest.raises(InvalidInput, match=rf"cooperation_project\.{field}"):
        project.validate()


@pytest.mark.parametrize(
    ("text", "party"),
    [("enterprise:91350200MA00000011", ENT), ("institution:XMU", INST)],
)
def test_a_party_parses_from_kind_and_id(text: str, party: Party) -> None:
    assert Party.parse(text) == party
    assert Party.parse(str(party)) == party


@pytest.mark.parametrize("text", ["XMU", "person:1", "institution:", ""])
def test_a_malformed_party_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="party"):
        Party.parse(text)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1)])
def test_a_list_query_refuses_silly_pages(limit: int, offset: int) -> None:
    with pytest.raises(InvalidInput):
        ListQuery(limit=limit, offset=offset)


VIEWERS = {
    "admin": Viewer(Role.BUREAU_ADMIN),
    "analyst": Viewer(Role.BUREAU_ANALYST),
    "owner": Viewer(Role.ENTERPRISE_USER, ENT),
    "other enterprise": Viewer(Role.ENTERPRISE_USER, OTHER_ENT),
    "institution": Viewer(Role.INSTITUTION_USER, INST),
    "other institution": Viewer(Role.INSTITUTION_USER, OTHER_INST),
    "expert": Viewer(Role.EXPERT_REVIEWER, expert_id="E1"),
    "public": Viewer(),
    # a forged binding: an expert claiming to act for the enterprise still acts for nobody
    "expert with a party": Viewer(Role.EXPERT_REVIEWER, ENT, "E2"),
}


@pytest.mark.parametrize(
    ("who", "confidential_visible"),
    [
        ("admin", True),
        ("analyst", True),
        ("owner", True),
        ("other enterprise", False),
        ("institution", False),
        ("other institution", False),
        ("expert", False),
        ("public", False),
        ("expert with a party", False),
    ],
)
def test_a_confidential_demand_is_seen_only_by_its_enterprise_and_the_bureau(
    who: str, confidential_visible: bool
) -> None:
    viewer = VIEWERS[who]
    assert may_see_demand(viewer, DEMAND) is confidential_visible
    assert may_see_demand(viewer, replace(DEMAND, confidential=False)) is True


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin", True),
        ("analyst", True),
        ("owner", True),  # the buyer
        ("institution", True),  # the seller
        ("other enterprise", False),
        ("other institution", False),
        ("expert", False),
        ("public", False),
    ],
)
def test_a_contract_is_seen_by_its_parties_and_the_bureau(who: str, visible: bool) -> None:
    assert may_see_contract(VIEWERS[who], CONTRACT) is visible


@pytest.mark.parametrize(
    ("who", "unlisted_visible"),
    [
        ("admin", True),
        ("analyst", True),
        ("institution", True),
        ("other institution", False),
        ("owner", False),
        ("public", False),
    ],
)
def test_an_unlisted_achievement_stays_with_its_institution_and_the_bureau(
    who: str, unlisted_visible: bool
) -> None:
    viewer = VIEWERS[who]
    assert may_see_achievement(viewer, replace(ACHIEVEMENT, listed=False)) is unlisted_visible
    assert may_see_achievement(viewer, ACHIEVEMENT) is True


@pytest.mark.parametrize(
    ("role", "achievements", "demands", "applies"),
    [
        ("bureau_admin", True, True, False),
        ("bureau_analyst", False, False, False),
        ("institution_user", True, False, True),
        ("enterprise_user", False, True, True),
        ("expert_reviewer", False, False, False),
        ("", False, False, False),  # the public: no role
    ],
)
def test_the_permission_policy_says_who_publishes_and_who_applies(
    role: str, achievements: bool, demands: bool, applies: bool
) -> None:
    from fourchain.domain.accounts import Role
    from fourchain.domain.market import PartyKind, Viewer

    viewer = Viewer(Role(role) if role else None)
    assert viewer.may_publish(PartyKind.INSTITUTION) is achievements
    assert viewer.may_publish(PartyKind.ENTERPRISE) is demands
    assert viewer.may_apply is applies
    assert viewer.is_admin is (role == "bureau_admin")
