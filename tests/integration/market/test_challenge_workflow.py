"""A challenge call from draft to closed through the services on both backends, and the
confidentiality of applications in every read: one applicant never sees another's, and a
reviewer never sees an application from their own institution."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fourchain.adapters.db.tables_accounts import audit_log
from fourchain.bootstrap import Database
from fourchain.domain.accounts import Role
from fourchain.domain.audit import detail_fields
from fourchain.domain.challenge import (
    ApplicationState,
    CallState,
    ChallengeApplication,
    ChallengeCall,
    Milestone,
    Reviewer,
)
from fourchain.domain.market import Party, Viewer
from fourchain.errors import InvalidInput, NotFound, PermissionDenied, TransitionRefused
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from tests.integration.market.parties import (
    ADMIN,
    ANALYST,
    ENT_A,
    IUE,
    JML,
    PUBLIC,
    USER_A,
    USER_B,
    USER_IUE,
    USER_JML,
    USER_XMU,
    XMU,
)

Market = tuple[MarketRecords, ChallengeDesk]
REV_XMU = Viewer(Role.EXPERT_REVIEWER, expert_id="E-XMU")
REV_IUE = Viewer(Role.EXPERT_REVIEWER, expert_id="E-IUE")
REV_FREE = Viewer(Role.EXPERT_REVIEWER, expert_id="E-FREE")
REV_OFF = Viewer(Role.EXPERT_REVIEWER, expert_id="E-OFF")
ONES = {"approach": 1.0, "team": 1.0, "innovation": 1.0, "delivery": 1.0}


def _call() -> ChallengeCall:
    return ChallengeCall(
        title="海洋装备用高强耐蚀合金",
        problem="研制屈服强度 ≥ 900 MPa 且耐海水腐蚀的合金。",
        conditions="牵头单位须在厦门注册；攻关期 24 个月。",
        reward=5_000_000.0,
        apply_by=date(2025, 6, 30),
        field="新材料",
    )


def _application(call_id: int, party: Party, proposal: str) -> ChallengeApplication:
    return ChallengeApplication(
        call_id=call_id,
        applicant=party,
        team_lead="王研究员",
        team="王研究员、陈博士、林工",
        proposal=proposal,
        approach="成分设计 + 热机械处理",
        requested=4_000_000.0,
        submitted=date(2000, 1, 1),  # the service stamps the real day
    )


def _to_review(desk: ChallengeDesk) -> tuple[int, dict[str, int]]:
    """A call under review with applications from XMU, IUE and enterprise A."""
    call_id = desk.create_call(ADMIN, _call())
    for expert, name, party in (
        ("E-XMU", "厦大专家", XMU),
        ("E-IUE", "城市所专家", IUE),
        ("E-FREE", "独立专家", None),
    ):
        desk.add_reviewer(ADMIN, call_id, Reviewer(expert, name, party))
    desk.publish(ADMIN, call_id)
    apps = {
        "xmu": desk.apply(USER_XMU, _application(call_id, XMU, "厦大方案")),
        "iue": desk.apply(USER_IUE, _application(call_id, IUE, "城市所方案")),
        "ent": desk.apply(USER_A, _application(call_id, ENT_A, "企业方案")),
    }
    desk.close_applications(ADMIN, call_id)
    desk.start_review(ADMIN, call_id)
    return call_id, apps


def _review(desk: ChallengeDesk, viewer: Viewer, app_id: int, points: float) -> None:
    desk.declare(viewer, app_id, conflicted=False)
    sheet = {"approach": points, "team": points, "innovation": 80.0, "delivery": 80.0}
    desk.score(viewer, app_id, sheet)


def test_a_call_runs_from_draft_to_closed(market: Market) -> None:
    _, desk = market
    call_id, apps = _to_review(desk)
    _review(desk, REV_IUE, apps["xmu"], 90)
    _review(desk, REV_FREE, apps["xmu"], 90)
    _review(desk, REV_XMU, apps["iue"], 70)
    _review(desk, REV_FREE, apps["iue"], 70)
    _review(desk, REV_XMU, apps["ent"], 95)
    desk.declare(REV_IUE, apps["ent"], conflicted=True, statement="与该企业有在研合作项目")
    # The enterprise's application had one review after the conflict: not eligible, so the
    # award needs a reason before it leaves that application unread.
    with pytest.raises(InvalidInput, match="award.reason"):
        desk.award(ADMIN, call_id)
    assert desk.view(ADMIN, call_id).call.state is CallState.UNDER_REVIEW
    assert desk.unscored(ADMIN, call_id) == [apps["ent"]]
    result = desk.award(ADMIN, call_id, reason="第二位专家回避，无可补评的专家")
    assert result.winner == apps["xmu"]
    view = desk.view(ADMIN, call_id)
    assert view.call.state is CallState.AWARDED
    states = {a.id: a.state for a in view.applications}
    assert states[apps["xmu"]] is ApplicationState.WON
    assert states[apps["iue"]] is states[apps["ent"]] is ApplicationState.NOT_WON

    milestone = Milestone("中试样品通过检测", date(2026, 3, 31), 2_000_000.0)
    m_id = desk.add_milestone(ADMIN, call_id, milestone)
    desk.start_delivery(ADMIN, call_id)
    desk.accept_milestone(ADMIN, call_id, m_id)
    desk.pay(ADMIN, call_id, m_id, 2_000_000.0)
    with pytest.raises(TransitionRefused, match="no written feedback"):
        desk.close(ADMIN, call_id)
    desk.give_feedback(ADMIN, apps["iue"], "技术路线可行，但缺少中试条件，建议与中试平台合作。")
    desk.give_feedback(ADMIN, apps["ent"], "评审专家不足以形成有效评价，欢迎参加下一批榜单。")
    desk.close(ADMIN, call_id)
    assert desk.view(ANALYST, call_id).call.state is CallState.CLOSED

    # Each non-winner reads its own feedback; nobody else's.
    app, text = desk.application(USER_IUE, apps["iue"])
    assert text is not None and "中试" in text
    assert desk.application(USER_XMU, apps["xmu"])[1] is None
    own_feedback = desk.application(USER_A, apps["ent"])[1]
    assert desk.view(USER_A, call_id).feedback == {apps["ent"]: own_feedback}


SEES = {
    "admin": (ADMIN, {"xmu", "iue", "ent"}),
    "analyst": (ANALYST, {"xmu", "iue", "ent"}),
    "XMU applicant": (USER_XMU, {"xmu"}),
    "IUE applicant": (USER_IUE, {"iue"}),
    "enterprise applicant": (USER_A, {"ent"}),
    "non-applicant enterprise": (USER_B, set()),
    "non-applicant institution": (USER_JML, set()),
    "XMU reviewer": (REV_XMU, {"iue", "ent"}),
    "IUE reviewer": (REV_IUE, {"xmu", "ent"}),
    "independent reviewer": (REV_FREE, {"xmu", "iue", "ent"}),
    "expert off the panel": (REV_OFF, set()),
    "public": (PUBLIC, set()),
}


@pytest.mark.parametrize("who", list(SEES))
def test_applications_are_seen_only_by_their_applicant_the_bureau_and_their_reviewers(
    market: Market, who: str
) -> None:
    _, desk = market
    call_id, apps = _to_review(desk)
    viewer, expected = SEES[who]
    names = {v: k for k, v in apps.items()}
    assert {names[a.id] for a in desk.view(viewer, call_id).applications} == expected
    assert {names[a.id] for a in desk.applications(viewer)} == expected
    for key, app_id in apps.items():
        if key in expected:
            assert desk.application(viewer, app_id)[0].id == app_id
        else:
            with pytest.raises(NotFound):
                desk.application(viewer, app_id)


def test_a_reviewer_cannot_act_on_an_application_from_their_own_institution(
    market: Market,
) -> None:
    _, desk = market
    _, apps = _to_review(desk)
    with pytest.raises(NotFound):
        desk.declare(REV_XMU, apps["xmu"], conflicted=False)
    with pytest.raises(NotFound):
        desk.score(REV_XMU, apps["xmu"], ONES)
    desk.declare(REV_FREE, apps["xmu"], conflicted=True, statement="申报负责人是我的博士导师")
    assert apps["xmu"] not in {a.id for a in desk.applications(REV_FREE)}
    with pytest.raises(NotFound):
        desk.score(REV_FREE, apps["xmu"], ONES)


@pytest.mark.parametrize(
    ("viewer", "error"),
    [(USER_XMU, PermissionDenied), (ANALYST, PermissionDenied), (REV_FREE, PermissionDenied)],
)
def test_only_a_bureau_administrator_moves_a_call(
    market: Market, viewer: Viewer, error: type[Exception]
) -> None:
    _, desk = market
    call_id = desk.create_call(ADMIN, _call())
    with pytest.raises(error):
        desk.publish(viewer, call_id)


def test_a_draft_call_is_invisible_outside_the_bureau_and_cannot_be_applied_to(
    market: Market,
) -> None:
    _, desk = market
    call_id = desk.create_call(ADMIN, _call())
    assert [c.id for c in desk.calls(ADMIN)] == [call_id]
    assert desk.calls(PUBLIC) == []
    with pytest.raises(NotFound):
        desk.view(USER_XMU, call_id)
    with pytest.raises(NotFound):
        desk.apply(USER_XMU, _application(call_id, XMU, "抢先申报"))


def test_an_applicant_applies_only_in_its_own_name(market: Market) -> None:
    _, desk = market
    call_id = desk.create_call(ADMIN, _call())
    desk.publish(ADMIN, call_id)
    with pytest.raises(PermissionDenied):
        desk.apply(USER_XMU, _application(call_id, JML, "冒名申报"))
    with pytest.raises(PermissionDenied):
        desk.apply(ADMIN, _application(call_id, JML, "局里代报"))


def test_a_created_call_is_audited_with_its_title_as_a_structured_detail(
    market: Market, database: Database
) -> None:
    _, desk = market
    call_id, _ = _to_review(desk)
    with database.engine.connect() as connection:
        detail = connection.scalar(
            select(audit_log.c.detail).where(
                audit_log.c.action == "record_created",
                audit_log.c.object == f"challenge_call:{call_id}",
            )
        )
    fields = detail_fields(str(detail))
    assert fields is not None and set(fields) == {"title"} and fields["title"]
