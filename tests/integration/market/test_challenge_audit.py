"""Every step of a challenge call (揭榜挂帅) and a registered contract leave a structured audit
detail, which the log page says in Chinese and in English: people and organisations by name,
amounts in 万元, no internal keys."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from fourchain.adapters.db.tables_accounts import audit_log
from fourchain.bootstrap import Database
from fourchain.domain.audit import detail_fields
from fourchain.domain.challenge import Milestone, Reviewer
from fourchain.domain.market import ContractType, TechContract
from fourchain.entrypoints.web.audit_details import describe
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from tests.integration.market.parties import (
    ADMIN,
    ENT_A,
    IUE,
    JML,
    USER_A,
    USER_IUE,
    USER_JML,
    USER_XMU,
    XMU,
)
from tests.integration.market.test_challenge_workflow import (
    REV_FREE,
    REV_IUE,
    REV_XMU,
    _application,
    _call,
    _review,
)

Market = tuple[MarketRecords, ChallengeDesk]
# What a Chinese reader must never meet: the steps' and fields' keys, key=value text, raw 元
# (in English, words such as "submitted" are words: keys there are snake_case).
INTERNAL = re.compile(
    r"publish|applications_closed|under_review|awarded|in_delivery|winner|unscored|reviewer_"
    r"|milestone|conflicted|approach|innovation|submitted|feedback|state|\w=\w|2000000|4000000"
)


def _entries(database: Database) -> list[tuple[str, str, str]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.action, audit_log.c.object, audit_log.c.detail).order_by(
                audit_log.c.seq
            )
        )
        return [(r.action, r.object, r.detail) for r in rows]


def _run_a_call(desk: ChallengeDesk) -> int:
    """A call through every step: a withdrawn application, a declared conflict, an award
    over an unscored application, a milestone accepted and paid, feedback, closed."""
    call_id, apps = _to_review_with_a_withdrawal(desk)
    _review(desk, REV_IUE, apps["xmu"], 90)
    _review(desk, REV_FREE, apps["xmu"], 90)
    _review(desk, REV_XMU, apps["iue"], 70)
    _review(desk, REV_FREE, apps["iue"], 70)
    _review(desk, REV_XMU, apps["ent"], 95)
    desk.declare(REV_IUE, apps["ent"], conflicted=True, statement="与该企业有在研合作项目")
    desk.award(ADMIN, call_id, reason="第二位专家回避")
    m_id = desk.add_milestone(
        ADMIN, call_id, Milestone("中试样品通过检测", date(2026, 3, 31), 2_000_000.0)
    )
    desk.start_delivery(ADMIN, call_id)
    desk.accept_milestone(ADMIN, call_id, m_id)
    desk.pay(ADMIN, call_id, m_id, 2_000_000.0)
    desk.give_feedback(ADMIN, apps["iue"], "技术路线可行，但缺少中试条件，建议与中试平台合作。")
    desk.give_feedback(ADMIN, apps["ent"], "评审专家不足以形成有效评价，欢迎参加下一批榜单。")
    desk.close(ADMIN, call_id)
    return call_id


def _to_review_with_a_withdrawal(desk: ChallengeDesk) -> tuple[int, dict[str, int]]:
    """As the workflow's call under review, with one more application withdrawn before."""
    call_id = desk.create_call(ADMIN, _call())
    for expert, name, party in (("E-XMU", "厦大专家", XMU), ("E-IUE", "城市所专家", IUE)):
        desk.add_reviewer(ADMIN, call_id, Reviewer(expert, name, party))
    desk.add_reviewer(ADMIN, call_id, Reviewer("E-FREE", "独立专家"))
    desk.publish(ADMIN, call_id)
    apps = {
        "xmu": desk.apply(USER_XMU, _application(call_id, XMU, "厦大方案")),
        "iue": desk.apply(USER_IUE, _application(call_id, IUE, "城市所方案")),
        "ent": desk.apply(USER_A, _application(call_id, ENT_A, "企业方案")),
    }
    desk.withdraw(USER_JML, desk.apply(USER_JML, _application(call_id, JML, "嘉庚方案")))
    desk.close_applications(ADMIN, call_id)
    desk.start_review(ADMIN, call_id)
    return call_id, apps


def test_every_challenge_step_reads_in_chinese_and_english_without_keys(
    market: Market, database: Database
) -> None:
    _, desk = market
    _run_a_call(desk)
    entries = [e for e in _entries(database) if e[1].startswith(("challenge_call", "application"))]
    keys: set[str] = set()
    for action, obj, detail in entries:
        fields = detail_fields(detail)
        assert fields is not None, (action, detail)  # every step is structured
        keys |= set(fields)
        zh, en = describe(detail, action, "zh_CN", obj), describe(detail, action, "en", obj)
        assert re.search(r"[\u4e00-\u9fff]", zh), (action, zh)
        assert not INTERNAL.search(zh), zh
        assert not re.search(r"[a-z]_[a-z]|\w=\w|000000|E-\w+\b(?!\))", en), en
        assert "UTC" not in zh + en
    # Each kind of step is there: moves, award, panel, milestones, payment, declarations,
    # scores, applications submitted and withdrawn, feedback.
    kinds = {"step", "winner", "unscored", "reviewer", "milestone_added", "milestone_accepted"}
    kinds |= {"paid", "conflicted", "scores", "submitted", "applicant", "feedback"}
    assert kinds <= keys

    text = "\n".join(describe(d, a, "zh_CN", o) for a, o, d in entries)
    for words in (
        "发榜 → 已发榜",
        "截止揭榜 → 揭榜截止",
        "开始评审 → 评审中",
        "启动攻关实施 → 攻关实施中",
        "结项 → 已结项",
        "增加评审专家：厦大专家（E-XMU）；所在单位：厦门大学",
        "厦门大学提交揭榜申请；榜单：海洋装备用高强耐蚀合金；申请经费（万元）：400",
        "申报单位：嘉庚创新实验室",
        "申报存在利益冲突；说明：与该企业有在研合作项目",
        "申报无利益冲突",
        "评分：技术路线可行性 90、团队能力与基础 90、创新性与先进性 80、实施计划与预算 80",
        "新增里程碑：中试样品通过检测；金额（万元）：200；计划完成：2026-03-31",
        "验收里程碑：中试样品通过检测；日期：2025-05-01",
        "已付（万元）：200；里程碑：中试样品通过检测；日期：2025-05-01",
        "向中科院城市环境研究所提供书面反馈",
    ):
        assert words in text, words
    award = next(describe(d, a, "zh_CN", o) for a, o, d in entries if a == "awarded")
    assert award.startswith("定榜 → 已定榜；揭榜单位：厦门大学（申请 ")
    assert "未评审完毕的申请：" in award and award.endswith("原因：第二位专家回避")
    english = "\n".join(describe(d, a, "en", o) for a, o, d in entries)
    for words in (
        "Publish → Published",
        "Winner: 厦门大学 (application ",
        "Reviewer added: 厦大专家 (E-XMU); Affiliation: 厦门大学",
        "Paid (10k yuan): 200; Milestone: 中试样品通过检测; On 2025-05-01",
        "Scores: Feasibility of the technical approach 90",
        "Declared a conflict of interest",
    ):
        assert words in english, words


@pytest.mark.parametrize("step", ["registered", "withdrawn"])
def test_a_contracts_entry_gives_its_number_title_and_value_in_10k_yuan(
    market: Market, database: Database, step: str
) -> None:
    records, _ = market
    contract = TechContract(
        number="3502012025000123",
        title="耐蚀合金热处理工艺许可",
        seller=XMU,
        buyer=ENT_A,
        type=ContractType.LICENCE,
        value=1_250_000.0,
        signed=date(2025, 4, 1),
    )
    contract_id = records.register_contract(ADMIN, contract)
    if step == "withdrawn":
        records.withdraw_contract(ADMIN, contract_id)
    action = "record_created" if step == "registered" else "record_withdrawn"
    action, obj, detail = next(e for e in _entries(database) if e[0] == action)
    assert obj == f"tech_contract:{contract_id}"
    assert describe(detail, action, "zh_CN", obj) == (
        "编号：3502012025000123；标题：耐蚀合金热处理工艺许可；金额（万元）：125"
    )
    assert describe(detail, action, "en", obj) == (
        "Number: 3502012025000123; Title: 耐蚀合金热处理工艺许可; Value (10k yuan): 125"
    )
