"""Audit details are structured (compact JSON inside the chain) and the log page says them in
the reader's language, field names by their labels; a plain-text detail written before stays
as it is, and a chain mixing both still verifies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from fourchain.domain.audit import Action, Result, detail_fields, details
from fourchain.entrypoints.web.audit_details import audit_object, describe
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import sign_in


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
        (details(changed=["problem", "budget"]), "edit", "修改：技术问题、预算（元）", None),
        (details(changed=[]), "record_edited", "未作修改", "Nothing changed"),
        (details(year=2024), "read_figures", "2024 年", "Year 2024"),
        (details(token_id="ab12"), "token_revoked", "令牌 ab12", "Token ab12"),
        (
            details(title="钠离子电池正极"),
            "record_created",
            "名称：钠离子电池正极",
            "Title: 钠离子电池正极",
        ),
        (details(name="陈一"), "record_created", "名称：陈一", "Name: 陈一"),
        (details(why="wrong_password"), "login", "密码错误", "Wrong password"),
        (details(why="locked"), "login", "账号已锁定", "Account locked"),
        (
            details(why="unknown_account"),
            "login",
            "账号不存在或已停用",
            "Unknown or inactive account",
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
        ("GET /admin/audit", "GET /admin/audit", "GET /admin/audit"),
        ("unknown_kind:7", "unknown_kind:7", "unknown_kind:7"),
    ],
)
def test_an_entrys_object_is_named_by_its_kind_in_both_languages(
    obj: str, zh: str, en: str
) -> None:
    assert audit_object(obj, "zh_CN") == zh
    assert audit_object(obj, "en") == en
