"""Audit details are structured (compact JSON inside the chain) and the log page says them in
the reader's language, field names by their labels; a plain-text detail written before stays
as it is, and a chain mixing both still verifies."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI

from fourchain.domain.accounts import Role
from fourchain.domain.audit import Action, Result, detail_fields, details
from fourchain.domain.challenge import ChallengeApplication, ChallengeCall, Milestone, Reviewer
from fourchain.domain.market import Party, PartyKind, Viewer
from fourchain.entrypoints.web.audit_details import audit_object, describe
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token, sign_in
from tests.integration.web.fixtures import OTHER_INSTITUTION as OTHER_INST
from tests.integration.web.fixtures import OWN_INSTITUTION
from tests.integration.web.test_words_people_read import (
    KEY,
    LONG_DIGITS,
    OBJECT_KEY,
    RAW_TIME,
    RAW_YUAN,
    visible_text,
)

INSTITUTION = PartyKind.INSTITUTION


@pytest.mark.parametrize(
    ("detail", "action", "zh", "en"),
    [
        (details(rows=100), "export", "导出 100 行", "Exported 100 rows"),
        (
            details(rows=3, inserted=2, updated=1, unchanged=0),
            "import",
            "导入 3 行 (新增 2、更新 1、未变 0)",
            "Imported 3 rows (2 new, 1 updated, 0 unchanged)",
        ),
        (
            details(rows=3, inserted=0, updated=3, unchanged=0, withdrawn_rows=1, restored_rows=2),
            "import",
            "导入 3 行 (新增 0、更新 3、未变 0)；文件恢复 2 条（撤回日期为空）；文件撤回 1 条",
            "Imported 3 rows (0 new, 3 updated, 0 unchanged); 2 made live again by the file; "
            "1 withdrawn by the file",
        ),
        (details(minutes=15), "lockout", "锁定 15 分钟", "Locked for 15 minutes"),
        (details(changed=["problem", "budget"]), "edit", "修改：技术问题、预算（万元）", None),
        (details(changed=[]), "record_edited", "未作修改", "Nothing changed"),
        (details(year=2024), "read_figures", "2024 年", "Year 2024"),
        (details(token_id="ab12"), "token_revoked", "令牌 ab12", "Token ab12"),
        (
            details(title="钠离子电池正极"),
            "record_created",
            "标题：钠离子电池正极",
            "Title: 钠离子电池正极",
        ),
        (details(name="厦门市科技计划"), "record_created", "名称：厦门市科技计划", None),
        (details(why="wrong_password"), "login", "密码错误", "Wrong password"),
        (details(why="locked"), "login", "账号已锁定", "Account locked"),
        (
            details(why="unknown_account"),
            "login",
            "账号不存在或已停用",
            "Unknown or inactive account",
        ),
        (
            details(fund="xm_angel", investor="厦门市财政局", amount=2e8),
            "record_created",
            "金额（万元）：20,000；基金：xm_angel；投资方：厦门市财政局",
            "Amount (10k yuan): 20,000; Fund: xm_angel; Investor: 厦门市财政局",
        ),
        (
            details(subsidy_id=1, amount=2e5),
            "record_created",
            "金额（万元）：20；财政补助：1",
            "Amount (10k yuan): 20; Subsidy: 1",
        ),
        (
            details(number="2025-1", value=8e5, reason="登记有误"),
            "record_withdrawn",
            "编号：2025-1；原因：登记有误；金额（万元）：80",
            "Number: 2025-1; Reason: 登记有误; Value (10k yuan): 80",
        ),
        (
            details(
                record={"fund": "xm_angel", "amount": 8e5, "public": True},
                reason="登记有误",
            ),
            "record_withdrawn",
            "原因：登记有误；金额（万元）：80、基金：xm_angel、财政资金：是",
            "Reason: 登记有误; Amount (10k yuan): 80, Fund: xm_angel, Public money: Yes",
        ),
        (
            details(changed={"size": [5e8, 1.2e9], "public": [False, True]}),
            "record_edited",
            "修改：财政资金：否 → 是、规模（万元）：50,000 → 120,000",
            "Changed: Public money: No → Yes, Size (10k yuan): 50,000 → 120,000",
        ),
        ("wrong password", "login", "wrong password", "wrong password"),
        ("{not json", "login", "{not json", "{not json"),
    ],
)
def test_a_structured_detail_reads_in_each_language(
    detail: str, action: str, zh: str, en: str | None
) -> None:
    assert describe(detail, action, "zh_CN") == zh
    if en is not None:
        assert describe(detail, action, "en") == en


def test_details_are_compact_json_and_plain_text_is_not_structured() -> None:
    assert details(rows=5, skipped=None) == '{"rows":5}'
    assert detail_fields('{"rows":5}') == {"rows": 5}
    assert detail_fields("5 rows") is None and detail_fields("[1]") is None


def test_the_log_page_says_details_in_chinese_and_the_mixed_chain_verifies(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    trail = app.state.services.auth.audit
    now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    trail.record(now, Action.EXPORT, Result.SUCCESS, object="old", detail="7 rows")
    with TestClient(app) as other:
        for _ in range(5):
            sign_in(other, "inst", "wrong-password")
    client = browser_client("admin")
    page = client.get("/admin/audit").text
    assert "锁定 15 分钟" in page and "locked for" not in page
    assert "密码错误" in page and "wrong_password" not in page  # the refused sign-ins
    refused = [e.event.detail for e in trail.store.in_order() if e.event.action == "login"]
    assert '{"why":"wrong_password"}' in refused
    assert "7 rows" in page  # written before: shown as it is
    assert trail.verify().ok
    client.get("/lang/en")
    assert "Locked for 15 minutes" in client.get("/admin/audit").text


@pytest.mark.parametrize(
    ("obj", "zh", "en"),
    [
        ("user:admin", "用户 admin", "User admin"),
        ("pipeline_project:P1", "孵化项目 P1", "Incubation project P1"),
        ("fund_commitment:2", "基金认缴 2", "Fund commitment 2"),
        ("subsidy_disbursement:3", "补助拨付 3", "Subsidy disbursement 3"),
        ("insurance_claim:4", "保险理赔 4", "Insurance claim 4"),
        ("GET /admin/audit", "GET /admin/audit", "GET /admin/audit"),
        ("unknown_kind:7", "unknown_kind:7", "unknown_kind:7"),
    ],
)
def test_an_entrys_object_is_named_by_its_kind_in_both_languages(
    obj: str, zh: str, en: str
) -> None:
    assert audit_object(obj, "zh_CN") == zh
    assert audit_object(obj, "en") == en


@pytest.mark.parametrize(
    ("detail", "obj", "zh", "en"),
    [
        (details(name="陈一"), "person:7", "姓名：陈一", "Full name: 陈一"),
        (
            details(title="海洋防腐涂层", public_budget=1_500_000, self_raised=500_000),
            "programme_project:3",
            "标题：海洋防腐涂层；财政资金（万元）：150；自筹资金（万元）：50",
            "Title: 海洋防腐涂层; Public funding (10,000 yuan): 150; "
            "Self-raised funding (10,000 yuan): 50",
        ),
        (
            details(title="2025 年度揭榜挂帅项目申报指南", year=2025),
            "programme_call:1",
            "标题：2025 年度揭榜挂帅项目申报指南；2025 年",
            "Title: 2025 年度揭榜挂帅项目申报指南; Year 2025",
        ),
        (details(projects=3), "cooperation_projects", "3 个合作项目", "3 cooperation projects"),
    ],
)
def test_a_programme_record_and_a_person_read_with_their_own_words(
    detail: str, obj: str, zh: str, en: str
) -> None:
    assert describe(detail, "record_created", "zh_CN", obj) == zh
    assert describe(detail, "record_created", "en", obj) == en


def test_an_accounts_binding_is_named_by_its_organisation_on_the_log_and_the_accounts_page(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    users = client.get("/admin/users").text
    row = re.search(r"<tr>\s*<td>inst</td>.*?</tr>", users, re.S)
    assert row is not None
    assert '<span class="muted">机构</span> <span title="INST-001">厦门大学</span>' in row[0]
    assert 'value="厦门大学（INST-001）"' in row[0]  # the row's form: by name too
    inst = app.state.services.auth.accounts.store.by_username("inst")
    kept = client.post(  # the row's form sent as shown keeps the binding
        f"/admin/users/{inst.id}/role",
        data={"role": "institution_user", "institution": "厦门大学（INST-001）", "enterprise": ""}
        | {"csrf_token": form_token(client)},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    assert app.state.services.auth.accounts.store.by_username("inst").institution == "INST-001"
    log = client.get("/admin/audit?action=account_created").text
    assert "机构：厦门大学" in log and "机构：INST-001" not in log
    assert "institution:" not in log
    client.get("/lang/en")
    assert "Institution: 厦门大学" in client.get("/admin/audit?action=account_created").text


def test_an_organisation_the_page_cannot_name_keeps_its_code() -> None:
    detail = details(role="institution_user", institution="GONE-1")
    assert describe(detail, "account_created", "zh_CN", "user:x") == "角色：机构用户；机构：GONE-1"
    named = {("institution", "GONE-1"): "已撤销的机构"}
    assert "机构：已撤销的机构" in describe(detail, "account_created", "zh_CN", "user:x", named)


def _run_a_call_in(app: FastAPI) -> None:
    """A call from draft to delivery through the desk the pages use: panel, applications,
    a declaration, a score sheet, the award, a milestone accepted and paid."""
    desk = app.state.services.market.desk
    admin = Viewer(Role.BUREAU_ADMIN, username="admin")
    problem = ChallengeCall("海洋防腐涂层", "耐盐雾 3000 小时", "厦门注册", 3e6, date.max, "新材料")
    problem.min_reviews = 1
    call_id = desk.create_call(admin, problem)
    desk.add_reviewer(admin, call_id, Reviewer("expert", "林专家", Party(INSTITUTION, OTHER_INST)))
    desk.publish(admin, call_id)
    applicant = Viewer(Role.INSTITUTION_USER, Party(INSTITUTION, OWN_INSTITUTION), username="inst")
    app_id = desk.apply(
        applicant,
        ChallengeApplication(
            call_id, applicant.party, "王研究员", "方案", "路线", 2_500_000.0, date.today()
        ),
    )
    desk.close_applications(admin, call_id)
    desk.start_review(admin, call_id)
    expert = Viewer(Role.EXPERT_REVIEWER, expert_id="expert", username="expert")
    desk.declare(expert, app_id, conflicted=False)
    desk.score(expert, app_id, {"approach": 90, "team": 85, "innovation": 80, "delivery": 75})
    desk.award(admin, call_id, reason="仅一位专家")
    milestone = desk.add_milestone(admin, call_id, Milestone("样品", date(2030, 1, 1), 1_234_500.0))
    desk.start_delivery(admin, call_id)
    desk.accept_milestone(admin, call_id, milestone)
    desk.pay(admin, call_id, milestone, 1_234_500.0)


def test_the_log_page_says_a_challenge_calls_steps_by_name_in_10k_yuan_and_no_keys(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    _run_a_call_in(app)
    text = visible_text(browser_client("admin").get("/admin/audit").text)
    for words in (
        "发榜 → 已发榜",
        "增加评审专家：林专家（expert）；所在单位：厦门中试平台",
        "厦门大学提交揭榜申请；榜单：海洋防腐涂层；申请经费（万元）：250",
        "申报无利益冲突",
        "评分：技术路线可行性 90、团队能力与基础 85、创新性与先进性 80、实施计划与预算 75",
        "定榜 → 已定榜；揭榜单位：厦门大学（申请 ",
        "新增里程碑：样品；金额（万元）：123.45；计划完成：2030-01-01",
        "已付（万元）：123.45；里程碑：样品",
    ):
        assert words in text, words
    assert KEY.findall(text) == [] and OBJECT_KEY.findall(text) == []
    assert RAW_TIME.findall(text) == [] and RAW_YUAN.findall(text) == []
    assert LONG_DIGITS.findall(text) == [] and "1234500" not in text
