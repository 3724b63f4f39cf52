"""People and incubation projects corrected in the browser: a bureau administrator lists,
edits and withdraws people (the withdrawal asked once more, with a reason), edits and withdraws
a project (then shown as withdrawn, with no move offered), and puts people on its team or takes
them off (the day they left is kept, and they may come back). A refused submit keeps what was
typed and names the field; everyone else is refused and nothing is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.tables_pipeline import project_people
from fourchain.domain.talent import Person
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token
from tests.integration.web.fixtures import ACCOUNTS, OWN_INSTITUTION
from tests.integration.web.test_forms import error_beside
from tests.integration.web.test_pipeline_pages import _seed
from tests.integration.web.test_words_people_read import KEY, visible_text

Clients = Callable[[str], TestClient]
CHEN = {"name": "陈一鸣", "affiliation": "厦门大学", "expertise": "钠电池", "email": "chen@xmu.cn"}


@pytest.fixture
def seeded(app: FastAPI) -> FastAPI:
    _seed(app)  # project P1 (固态电池电解质) with 林晓 (PS1) as its lead scientist
    with app.state.services.database.engine.begin() as connection:
        SqlPipelineStore(connection).add_people([Person("PS2", "陈一鸣", None, "储能", None)])
    return app


def _audited(app: FastAPI) -> list[tuple[str, str, str]]:
    store = app.state.services.auth.audit.store
    kept = ("record_created", "record_edited", "record_withdrawn")
    return [
        (e.event.action, e.event.object, e.event.detail)
        for e in store.in_order()
        if e.event.action in kept
    ]


def _post(client: TestClient, path: str, **data: str) -> object:
    return client.post(
        path, data={"csrf_token": form_token(client), **data}, follow_redirects=False
    )


def _team(app: FastAPI) -> list[tuple[str, str, bool]]:
    with app.state.services.database.engine.connect() as connection:
        rows = connection.execute(select(project_people).order_by(project_people.c.id))
        return [(r.person_id, r.role, r.left is not None) for r in rows]


def test_an_administrator_lists_edits_and_withdraws_a_person(
    seeded: FastAPI, browser_client: Clients
) -> None:
    client = browser_client("admin")
    assert 'href="/pipeline/people"' in client.get("/pipeline").text
    listed = client.get("/pipeline/people?sort=name&dir=desc")
    assert listed.status_code == 200 and "陈一鸣" in listed.text and "林晓" in listed.text
    assert 'href="/pipeline/people/PS2/edit"' in listed.text
    found = client.get("/pipeline/people?q=储能&page=9")  # a page past the last: the last
    assert "陈一鸣" in found.text and "林晓" not in found.text and 'value="储能"' in found.text
    assert "PS2" not in listed.text.replace("/pipeline/people/PS2/", "")  # names, not codes
    assert OWN_INSTITUTION not in listed.text  # 林晓's affiliation, by its name
    counts = re.findall(r'<td class="num">(\d+)</td>', listed.text)
    assert counts == ["0", "1"]  # 陈一鸣, then 林晓 (on P1 now): by name, descending
    assert 'value="陈一鸣"' in client.get("/pipeline/people/PS2/edit").text
    refused = _post(client, "/pipeline/people/PS2/edit", **{**CHEN, "name": " "})
    assert refused.status_code == 422
    assert 'value="厦门大学"' in refused.text and 'value="chen@xmu.cn"' in refused.text
    assert "必填" in error_beside(refused.text, "name")
    bad_mail = _post(client, "/pipeline/people/PS2/edit", **{**CHEN, "email": "chen.xmu.cn"})
    assert bad_mail.status_code == 422 and "chen.xmu.cn" in error_beside(bad_mail.text, "email")
    saved = _post(client, "/pipeline/people/PS2/edit", **CHEN)
    assert saved.status_code == 303 and saved.headers["location"] == "/pipeline/people"
    assert "人员信息已保存" in client.get("/pipeline/people").text  # the flash, once
    asked = _post(client, "/pipeline/people/PS2/withdraw")
    assert asked.status_code == 200 and 'name="reason"' in asked.text and "陈一鸣" in asked.text
    no_reason = _post(client, "/pipeline/people/PS2/withdraw", confirmed="yes", reason=" ")
    assert no_reason.status_code == 422 and error_beside(no_reason.text, "reason")
    gone = _post(
        client, "/pipeline/people/PS2/withdraw", confirmed="yes", reason="重复录入（与 PS9 同一人）"
    )
    assert gone.status_code == 303
    assert "陈一鸣" not in client.get("/pipeline/people").text
    again = _post(client, "/pipeline/people/PS2/withdraw", confirmed="yes", reason="再次")
    assert again.status_code == 409
    assert client.get("/pipeline/people/PS2/edit").status_code == 409
    entries = _audited(seeded)
    assert [(a, o) for a, o, _ in entries] == [
        ("record_edited", "person:PS2"),
        ("record_withdrawn", "person:PS2"),
    ]
    edited, withdrawn = (json.loads(d) for _, _, d in entries)
    assert edited["changed"]["affiliation"] == [None, "厦门大学"]
    assert withdrawn["reason"] == "重复录入（与 PS9 同一人）"
    log = client.get("/admin/audit").text
    assert "原因：重复录入" in log


def test_an_administrator_edits_and_withdraws_an_incubation_project(
    seeded: FastAPI, browser_client: Clients
) -> None:
    client = browser_client("admin")
    page = client.get("/pipeline/projects/P1").text
    assert (
        'href="/pipeline/projects/P1/edit"' in page
        and 'action="/pipeline/projects/P1/withdraw"' in page
    )
    form = client.get("/pipeline/projects/P1/edit")
    assert form.status_code == 200 and 'value="固态电池电解质"' in form.text
    typed = {"title": "固态电池电解质中试", "summary": "硫化物路线", "cluster": "nowhere"}
    refused = _post(client, "/pipeline/projects/P1/edit", **typed)
    assert refused.status_code == 422 and 'value="固态电池电解质中试"' in refused.text
    assert "硫化物路线" in refused.text and error_beside(refused.text, "cluster")
    saved = _post(client, "/pipeline/projects/P1/edit", **{**typed, "cluster": ""})
    assert saved.status_code == 303 and saved.headers["location"] == "/pipeline/projects/P1"
    assert "固态电池电解质中试" in client.get("/pipeline/projects/P1").text
    asked = _post(client, "/pipeline/projects/P1/withdraw")
    assert asked.status_code == 200 and 'name="reason"' in asked.text
    gone = _post(client, "/pipeline/projects/P1/withdraw", confirmed="yes", reason="立项撤销")
    assert gone.status_code == 303
    shown = client.get("/pipeline/projects/P1")
    today = datetime.now(UTC).date().isoformat()
    assert shown.status_code == 200 and f"已于 {today} 撤回" in shown.text
    assert "/advance" not in shown.text and "/pipeline/projects/P1/edit" not in shown.text
    assert 'action="/pipeline/projects/P1/people"' not in shown.text
    assert "固态电池电解质中试" not in client.get("/pipeline").text
    log = visible_text(client.get("/admin/audit").text)
    assert "原因：立项撤销" in log and "录入日期：2022-01-01" in log
    assert not {"created_on", "created_by", "origin_institution"} & set(KEY.findall(log))
    assert [(a, o) for a, o, _ in _audited(seeded)] == [
        ("record_edited", "pipeline_project:P1"),
        ("record_withdrawn", "pipeline_project:P1"),
    ]


def test_an_administrator_puts_people_on_a_team_and_records_when_they_left(
    seeded: FastAPI, browser_client: Clients
) -> None:
    client = browser_client("admin")
    page = client.get("/pipeline/projects/P1").text
    assert 'action="/pipeline/projects/P1/people"' in page
    assert 'action="/pipeline/projects/P1/people/PS1/detach"' in page
    assert client.get("/forms/options/people?q=陈").text == (
        '<option value="PS2">陈一鸣 · PS2</option>'
    )
    nobody = _post(client, "/pipeline/projects/P1/people", person_id="王五", role="founder")
    assert nobody.status_code == 422 and 'value="王五"' in nobody.text
    assert "王五" in error_beside(nobody.text, "person_id")
    twice = _post(client, "/pipeline/projects/P1/people", person_id="PS1", role="founder")
    assert twice.status_code == 409 and "已在项目" in error_beside(twice.text, "person_id")
    bad_day = _post(
        client, "/pipeline/projects/P1/people", person_id="陈一鸣", role="founder", joined="3月1日"
    )
    assert bad_day.status_code == 422 and 'value="3月1日"' in bad_day.text
    assert "3月1日" in error_beside(bad_day.text, "joined")
    joined = {"person_id": "陈一鸣", "role": "founder", "joined": "2025-03-01"}
    added = _post(client, "/pipeline/projects/P1/people", **joined)
    assert added.status_code == 303
    page = client.get("/pipeline/projects/P1").text
    assert "人员已加入团队" in page and "陈一鸣" in page and "2025-03-01" in page
    asked = _post(client, "/pipeline/projects/P1/people/PS2/detach")
    assert asked.status_code == 200 and "陈一鸣" in asked.text
    left = _post(client, "/pipeline/projects/P1/people/PS2/detach", confirmed="yes")
    assert left.status_code == 303
    page = client.get("/pipeline/projects/P1").text
    assert datetime.now(UTC).date().isoformat() in page
    assert 'action="/pipeline/projects/P1/people/PS2/detach"' not in page
    assert (
        _post(client, "/pipeline/projects/P1/people/PS2/detach", confirmed="yes").status_code == 404
    )
    back = _post(client, "/pipeline/projects/P1/people", person_id="PS2", role="team_member")
    assert back.status_code == 303
    assert _team(seeded) == [
        ("PS1", "lead_scientist", False),
        ("PS2", "founder", True),
        ("PS2", "team_member", False),
    ]
    assert [(a, o) for a, o, _ in _audited(seeded)] == [
        ("record_created", "pipeline_project:P1:person:PS2"),
        ("record_withdrawn", "pipeline_project:P1:person:PS2"),
        ("record_created", "pipeline_project:P1:person:PS2"),
    ]


PAGES = ("/pipeline/people/PS2/edit", "/pipeline/projects/P1/edit")
WRITES = (
    "/pipeline/people/PS2/edit",
    "/pipeline/people/PS2/withdraw",
    "/pipeline/projects/P1/edit",
    "/pipeline/projects/P1/withdraw",
    "/pipeline/projects/P1/people",
    "/pipeline/projects/P1/people/PS1/detach",
)


@pytest.mark.parametrize("role", [r for r in ACCOUNTS if r != "admin"])
def test_no_one_but_an_administrator_corrects_people_and_projects(
    seeded: FastAPI, browser_client: Clients, role: str
) -> None:
    client = browser_client(role)
    listing = client.get("/pipeline/people", follow_redirects=False)
    if role == "analyst":  # bureau staff read the list, without the administrator's links
        assert listing.status_code == 200 and "陈一鸣" in listing.text
        assert "/edit" not in listing.text and "/withdraw" not in listing.text
    else:
        assert listing.status_code in (303, 401, 403)
    page = client.get("/pipeline/projects/P1").text
    assert "/pipeline/projects/P1/edit" not in page and "/detach" not in page
    assert 'action="/pipeline/projects/P1/people"' not in page
    for path in PAGES:
        assert client.get(path, follow_redirects=False).status_code in (303, 401, 403)
    client.get("/")
    body = {**CHEN, "title": "改名", "person_id": "PS2", "role": "founder", "reason": "x"}
    for path in WRITES:
        answer = _post(client, path, confirmed="yes", **body)
        assert answer.status_code in (401, 403), (path, answer.status_code)
    options = client.get("/forms/options/people?q=陈", follow_redirects=False)
    assert ("陈一鸣" in options.text) is (role == "analyst")  # suggestions: bureau staff only
    assert _audited(seeded) == []
    assert _team(seeded) == [("PS1", "lead_scientist", False)]
