"""The conversion projects' pages: a bureau administrator lists, records, edits and withdraws
them (the withdrawal asked once more, with a reason for the audit log); a refused submit keeps
what was typed and names the field; everyone else is refused and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token
from tests.integration.web.fixtures import ACCOUNTS, OWN
from tests.integration.web.test_forms import error_beside

TYPED = {"credit_code": OWN, "title": "锂电隔膜中试转化", "year": "2025年", "field": "新能源"}


def _audited(app: FastAPI) -> list[tuple[str, str]]:
    store = app.state.services.auth.audit.store
    kept = ("record_created", "record_edited", "record_withdrawn")
    return [(e.event.action, e.event.object) for e in store.in_order() if e.event.action in kept]


def test_an_administrator_records_edits_and_withdraws_a_conversion_project(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    assert 'href="/pipeline/conversions"' in client.get("/pipeline").text
    assert client.get("/pipeline/conversions/new").status_code == 200
    refused = client.post(
        "/pipeline/conversions",
        data={"csrf_token": form_token(client), **TYPED, "project_id": "nowhere"},
    )
    assert refused.status_code == 422
    assert 'value="锂电隔膜中试转化"' in refused.text and "project_id" in refused.text
    made = client.post(
        "/pipeline/conversions",
        data={"csrf_token": form_token(client), **TYPED},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/pipeline/conversions"
    listed = client.get("/pipeline/conversions?sort=year&dir=desc")
    assert "锂电隔膜中试转化" in listed.text and "年度 ▼" in listed.text
    form = client.get("/pipeline/conversions/1/edit")
    assert 'value="锂电隔膜中试转化"' in form.text
    bad_year = {"csrf_token": form_token(client), **TYPED, "year": "二〇二五"}
    answer = client.post("/pipeline/conversions/1/edit", data=bad_year)
    assert answer.status_code == 422 and 'value="二〇二五"' in answer.text
    edited = {"csrf_token": form_token(client), **TYPED, "title": "锂电隔膜量产转化"}
    saved = client.post("/pipeline/conversions/1/edit", data=edited, follow_redirects=False)
    assert saved.status_code == 303
    asked = client.post("/pipeline/conversions/1/withdraw", data={"csrf_token": form_token(client)})
    assert asked.status_code == 200 and "/pipeline/conversions/1/withdraw" in asked.text
    assert 'name="reason"' in asked.text and "锂电隔膜量产转化" in asked.text
    assert "锂电隔膜量产转化" in client.get("/pipeline/conversions").text
    withdrawal = {"csrf_token": form_token(client), "confirmed": "yes", "reason": "  "}
    no_reason = client.post("/pipeline/conversions/1/withdraw", data=withdrawal)
    assert no_reason.status_code == 422
    assert "请写明撤回原因" in error_beside(no_reason.text, "reason")
    assert "锂电隔膜量产转化" in client.get("/pipeline/conversions").text
    gone = client.post(
        "/pipeline/conversions/1/withdraw",
        data={**withdrawal, "csrf_token": form_token(client), "reason": "与 2024 年项目重复登记"},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    listed = client.get("/pipeline/conversions").text
    assert "锂电隔膜量产转化" not in listed and "成果转化项目已撤回" in listed  # the flash
    assert _audited(app) == [
        ("record_created", "conversion_project:1"),
        ("record_edited", "conversion_project:1"),
        ("record_withdrawn", "conversion_project:1"),
    ]
    store = app.state.services.auth.audit.store
    (entry,) = [e for e in store.in_order() if e.event.action == "record_withdrawn"]
    assert json.loads(entry.event.detail)["reason"] == "与 2024 年项目重复登记"
    assert "原因：与 2024 年项目重复登记" in client.get("/admin/audit").text


@pytest.mark.parametrize("role", [r for r in ACCOUNTS if r != "admin"])
def test_no_one_but_an_administrator_reaches_the_conversion_pages(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    client = browser_client(role)
    assert 'href="/pipeline/conversions"' not in client.get("/pipeline").text
    for path in ("/pipeline/conversions", "/pipeline/conversions/new"):
        assert client.get(path, follow_redirects=False).status_code in (303, 401, 403)
    client.get("/")
    for path in ("/pipeline/conversions", "/pipeline/conversions/1/withdraw"):
        body = {"csrf_token": form_token(client), **TYPED, "confirmed": "yes"}
        answer = client.post(path, data=body, follow_redirects=False)
        assert answer.status_code in (401, 403), (path, answer.status_code)
    assert _audited(app) == []
