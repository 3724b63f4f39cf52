"""The form system: a refused submit shows the same form again (422) with what was typed and
the error beside its field; a completed action is confirmed by a message after its redirect;
organisations are chosen by name from suggestions, never typed as `kind:code`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from fastapi import FastAPI

from fourchain.domain.audit import detail_fields
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token
from tests.integration.web.fixtures import OWN

DEADLINE = (date.today() + timedelta(days=60)).isoformat()
DEMAND = {
    "problem": "高精度温湿度传感器漂移",
    "description": "传感器在高湿环境下三个月内漂移超过 2%。",
    "field": "电子信息",
    "budget": "800000",
    "deadline": DEADLINE,
}

Clients = Callable[[str], TestClient]


def error_beside(html: str, field: str) -> str:
    """The error text tied to `field`'s input by aria-describedby ("" when there is none)."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*name="{field}"[^>]*>', html)
    assert tag, f"no field {field!r} on the page"
    described = re.search(r'aria-describedby="([^"]+)"', tag.group(0))
    if not described:
        return ""
    for ident in described.group(1).split():
        found = re.search(rf'id="{ident}"[^>]*>([^<]*)<', html)
        if found and ident.endswith("-error"):
            return found.group(1)
    return ""


def post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    client.get(page)
    return client.post(
        action, data={**data, "csrf_token": form_token(client)}, follow_redirects=False
    )


def test_a_refused_demand_keeps_what_was_typed_with_the_error_by_its_field(
    browser_client: Clients,
) -> None:
    ent = browser_client("ent")
    typed = {**DEMAND, "budget": "八十万元整"}
    refused = post_form(ent, "/market/demands/new", "/market/demands", typed)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert 'value="八十万元整"' in html
    assert f'value="{DEMAND["problem"]}"' in html
    assert DEMAND["description"] in html
    assert "不是数字" in error_beside(html, "budget")
    assert error_beside(html, "problem") == ""


def test_a_published_demand_is_confirmed_once_after_its_redirect(browser_client: Clients) -> None:
    ent = browser_client("ent")
    saved = post_form(ent, "/market/demands/new", "/market/demands", DEMAND)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    shown = ent.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert 'class="flash"' in shown.text
    assert "需求已发布" in shown.text
    again = ent.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert 'class="flash"' not in again.text


def test_a_forged_confirmation_message_is_not_shown(browser_client: Clients) -> None:
    ent = browser_client("ent")
    ent.cookies.set("fc_flash", "5Lyq6YCg.0123456789abcdef0123456789abcdef")
    assert 'class="flash"' not in ent.get("/market").text


def test_the_bureau_picks_the_enterprise_by_name_from_suggestions(
    browser_client: Clients,
) -> None:
    admin = browser_client("admin")
    options = admin.get("/forms/options/organisations", params={"credit_code": "星海微"})
    assert "厦门星海微电子有限公司" in options.text
    unknown = post_form(
        admin, "/market/demands/new", "/market/demands", {**DEMAND, "credit_code": "不存在的公司"}
    )
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    assert "不存在的公司" in error_beside(unknown.text, "credit_code")  # type: ignore[attr-defined]
    saved = post_form(
        admin,
        "/market/demands/new",
        "/market/demands",
        {**DEMAND, "credit_code": "厦门星海微电子有限公司"},
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    demand = admin.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert "厦门星海微电子有限公司" in demand.text or OWN in demand.text


def test_suggestions_are_for_signed_in_users(app: FastAPI) -> None:
    with TestClient(app) as public:
        answer = public.get("/forms/options/organisations?q=厦门", follow_redirects=False)
    assert answer.status_code == 303


# --- the challenge calls: every form of a call's life, refused and then done
CALL = {
    "title": "表单系统中的榜单",
    "problem": "功率模块热循环寿命不足。",
    "conditions": "在本市注册。",
    "reward": "1000000",
    "apply_by": DEADLINE,
    "field": "electronic_information",
    "min_reviews": "1",
}


def _audit(app: FastAPI) -> list[object]:
    return list(app.state.services.auth.audit.store.in_order())


def test_a_refused_call_draft_keeps_what_was_typed(browser_client: Clients) -> None:
    admin = browser_client("admin")
    typed = {**CALL, "reward": "一百万", "apply_by": "明年三月"}
    refused = post_form(admin, "/market/challenges/new", "/market/challenges", typed)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert 'value="一百万"' in html and 'value="明年三月"' in html
    assert CALL["problem"] in html and 'value="表单系统中的榜单"' in html
    assert "不是数字" in error_beside(html, "reward")
    assert 'value="electronic_information" selected' in html


def _drafted(admin: TestClient) -> str:
    made = post_form(admin, "/market/challenges/new", "/market/challenges", CALL)
    assert made.status_code == 303  # type: ignore[attr-defined]
    return str(made.headers["location"])  # type: ignore[attr-defined]


def test_a_call_is_run_through_its_forms_and_an_unscored_award_needs_an_audited_reason(
    app: FastAPI, browser_client: Clients
) -> None:
    admin, ent, inst = browser_client("admin"), browser_client("ent"), browser_client("inst")
    expert = browser_client("expert")
    call = _drafted(admin)
    draft_page = admin.get(call).text
    assert "榜单已存为草稿" in draft_page  # the flash after the redirect
    assert f'action="{call}/milestones"' not in draft_page  # no form a submit would refuse

    # The review panel: the expert by account, the affiliation by name (no kind:code syntax).
    assert "expert" in admin.get("/forms/options/experts", params={"expert_id": "exp"}).text
    assert "厦门大学" in admin.get("/forms/options/organisations", params={"q": "厦门大"}).text
    reviewer = {"expert_id": "expert", "name": "王专家", "affiliation": "institution:INST-001"}
    refused = post_form(admin, call, f"{call}/reviewers", reviewer)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'value="王专家"' in refused.text  # type: ignore[attr-defined]
    assert "institution:INST-001" in error_beside(refused.text, "affiliation")  # type: ignore[attr-defined]
    added = post_form(admin, call, f"{call}/reviewers", {**reviewer, "affiliation": "厦门中试平台"})
    assert added.status_code == 303  # type: ignore[attr-defined]
    assert "评审专家已添加" in admin.get(call).text

    # Publishing asks first, saying what will happen; confirmed, it is done and confirmed.
    asked = post_form(admin, call, f"{call}/move", {"action": "publish"})
    assert asked.status_code == 200  # type: ignore[attr-defined]
    assert "发榜后不能退回草稿" in asked.text  # type: ignore[attr-defined]
    done = post_form(admin, call, f"{call}/move", {"action": "publish", "confirmed": "yes"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert "榜单已发布" in admin.get(call).text

    application = {
        "team_lead": "张工",
        "proposal": "企业方案",
        "approach": "三阶段",
        "requested": "五十万",
    }
    refused = post_form(ent, call, f"{call}/apply", application)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'value="五十万"' in refused.text and 'value="张工"' in refused.text  # type: ignore[attr-defined]
    assert "不是数字" in error_beside(refused.text, "requested")  # type: ignore[attr-defined]
    for client, proposal in ((ent, "企业方案"), (inst, "机构方案")):
        applied = post_form(
            client,
            call,
            f"{call}/apply",
            {**application, "requested": "500000", "proposal": proposal},
        )
        assert applied.status_code == 303  # type: ignore[attr-defined]
    for action in ("close_applications", "start_review"):
        moved = post_form(admin, call, f"{call}/move", {"action": action, "confirmed": "yes"})
        assert moved.status_code == 303  # type: ignore[attr-defined]

    # The expert scores the enterprise's application and leaves the institution's.
    listed = expert.get(call).text
    ent_app = re.search(r'href="(/market/applications/\d+)">企业方案', listed)
    assert ent_app
    page = ent_app.group(1)
    refused = post_form(expert, page, f"{page}/declare", {"statement": "无"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert error_beside(refused.text, "conflicted")  # type: ignore[attr-defined]
    declared = post_form(expert, page, f"{page}/declare", {"conflicted": "false"})
    assert declared.status_code == 303  # type: ignore[attr-defined]
    sheet = {"points_approach": "85", "points_team": "八十", "points_innovation": "75"}
    sheet["points_delivery"] = "70"
    refused = post_form(expert, page, f"{page}/score", sheet)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'value="八十"' in refused.text and 'value="85"' in refused.text  # type: ignore[attr-defined]
    assert "不是数字" in error_beside(refused.text, "points_team")  # type: ignore[attr-defined]
    scored = post_form(expert, page, f"{page}/score", {**sheet, "points_team": "80"})
    assert scored.status_code == 303  # type: ignore[attr-defined]
    assert "评分已保存" in expert.get(page).text

    # The institution's application is not scored: the award asks for a reason first.
    award = {"action": "award", "confirmed": "yes"}
    asked = post_form(admin, call, f"{call}/move", {"action": "award"})
    assert "机构方案" in asked.text and 'name="reason"' in asked.text  # type: ignore[attr-defined]
    refused = post_form(admin, call, f"{call}/move", award)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "尚未评完分" in error_beside(refused.text, "reason")  # type: ignore[attr-defined]
    assert 'value="award"' in admin.get(call).text  # nothing moved
    reason = "机构申请的评审专家须回避，且无其他专家"
    awarded = post_form(admin, call, f"{call}/move", {**award, "reason": reason})
    assert awarded.status_code == 303  # type: ignore[attr-defined]
    assert "已定榜" in admin.get(call).text
    entry = [e for e in _audit(app) if e.event.action == "awarded"][-1]  # type: ignore[attr-defined]
    said = detail_fields(entry.event.detail)  # type: ignore[attr-defined]
    assert said is not None and said["reason"] == reason and said["unscored"]

    # Milestones now: a refused one keeps what was typed, beside its field.
    milestone = {"title": "样品验收", "due": "下个月", "amount": "400000"}
    refused = post_form(admin, call, f"{call}/milestones", milestone)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'value="下个月"' in refused.text and 'value="样品验收"' in refused.text  # type: ignore[attr-defined]
    assert error_beside(refused.text, "due")  # type: ignore[attr-defined]
    planned = post_form(admin, call, f"{call}/milestones", {**milestone, "due": DEADLINE})
    assert planned.status_code == 303  # type: ignore[attr-defined]
    assert "里程碑已添加" in admin.get(call).text


def test_a_withdrawal_asks_first_says_what_will_happen_and_keeps_the_reason(
    app: FastAPI, browser_client: Clients
) -> None:
    ent = browser_client("ent")
    saved = post_form(ent, "/market/demands/new", "/market/demands", DEMAND)
    demand = saved.headers["location"]  # type: ignore[attr-defined]
    page = ent.get(demand).text
    assert '<details class="confirm' in page and 'name="reason"' in page
    asked = post_form(ent, demand, f"{demand}/withdraw", {})
    assert asked.status_code == 200  # type: ignore[attr-defined]
    assert "历史记录仍保留" in asked.text  # type: ignore[attr-defined]
    assert ent.get(demand).status_code == 200  # still there
    bare = post_form(ent, demand, f"{demand}/withdraw", {"confirmed": "yes", "reason": " "})
    assert bare.status_code == 422  # type: ignore[attr-defined]
    assert "请写明撤回原因" in error_beside(bare.text, "reason")  # type: ignore[attr-defined]
    assert ent.get(demand).status_code == 200  # nothing withdrawn
    why = {"confirmed": "yes", "reason": "需求已由合作方解决"}
    gone = post_form(ent, demand, f"{demand}/withdraw", why)
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert "需求已撤回" in ent.get(gone.headers["location"]).text  # type: ignore[attr-defined]
    assert ent.get(demand).status_code == 404
    store = app.state.services.auth.audit.store
    (entry,) = [e for e in store.in_order() if e.event.action == "record_withdrawn"]
    fields = detail_fields(entry.event.detail)
    assert fields is not None and fields["reason"] == "需求已由合作方解决"


def test_a_refused_achievement_keeps_what_was_typed_and_its_ticked_modes(
    browser_client: Clients,
) -> None:
    inst = browser_client("inst")
    typed = {
        "title": "低漂移 MEMS 湿度传感器",
        "abstract": "带自校准。",
        "keywords": "MEMS, 湿度",
        "discipline": "电子工程",
        "trl": "6",
        "ip_status": "granted",
        "transfer_modes": "assignment",
        "asking_price": "面议",
        "contact": "0592-1234567",
    }
    refused = post_form(inst, "/market/achievements/new", "/market/achievements", typed)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert 'value="面议"' in html and 'value="MEMS, 湿度"' in html
    assert 'value="assignment" checked' in html and 'value="granted" selected' in html
    assert 'value="6" selected' in html
    assert "不是数字" in error_beside(html, "asking_price")
    saved = post_form(
        inst,
        "/market/achievements/new",
        "/market/achievements",
        {**typed, "asking_price": "", "patent_numbers": "ZL202310000001.2"},
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert "成果已发布" in inst.get(saved.headers["location"]).text  # type: ignore[attr-defined]
