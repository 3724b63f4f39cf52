"""The bureau's cooperation-project pages: an administrator records a project picking its lead
and partners by name, corrects it, and withdraws it after confirming with a reason; a refused
submit keeps what was typed and names the field; the list is paged, sorted and filtered in
SQL; bureau analysts read it, every other role is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from fourchain.domain.audit import details
from fourchain.domain.market import BUREAU_VIEWER, CooperationKind, CooperationProject, Party
from fourchain.domain.market import PartyKind as Kind
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import OWN, OWN_INSTITUTION
from tests.integration.web.test_market_matrix import ROLES
from tests.integration.web.test_market_writes import COOPERATION

TYPED = {
    "kind": "iur",
    "year": "2025",
    "title": "网页登记的产学研项目",
    "lead": "厦门星海微电子有限公司",
    "partner_1": "厦门大学",
    "funding": "80万",
}


def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    client.get("/market")
    response = client.post(
        path, data={**data, "csrf_token": form_token(client)}, follow_redirects=False
    )
    return response.status_code, response.headers.get("location", ""), response.text


def _projects(app: FastAPI) -> list[CooperationProject]:
    return list(app.state.services.market.records.cooperation_projects(BUREAU_VIEWER).items)


def _audit(app: FastAPI, action: str) -> list[tuple[str, str]]:
    entries = app.state.services.auth.audit.store.in_order()
    return [(e.event.object, e.event.detail) for e in entries if e.event.action == action]


def test_an_administrator_records_edits_and_withdraws_a_cooperation_project(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    assert 'href="/market/cooperation"' in client.get("/market/contracts").text  # the subnav
    assert 'href="/market/cooperation/new"' in client.get("/market/cooperation").text
    assert (_post(client, "/market/cooperation", TYPED)[:2]) == (303, "/market/cooperation")
    listed = client.get("/market/cooperation").text
    assert "合作项目已登记。" in listed  # the flash message
    assert "厦门星海微电子有限公司" in listed and "厦门大学" in listed and OWN not in listed
    assert ">80<" in listed  # 万元
    (saved,) = _projects(app)
    assert saved.lead == Party(Kind.ENTERPRISE, OWN)
    assert saved.partners == (Party(Kind.INSTITUTION, OWN_INSTITUTION),)
    assert (saved.funding, saved.year, saved.kind) == (800_000.0, 2025, CooperationKind.IUR)
    counts = app.state.services.market.records.cooperation_counts
    assert counts()["iur"] == {2025: 1}

    edit = client.get(f"/market/cooperation/{saved.id}/edit").text
    assert f'value="厦门星海微电子有限公司（{OWN}）"' in edit and 'value="800000"' in edit
    changed = {**TYPED, "title": "改正后的项目", "funding": "1,200,000", "partner_1": ""}
    changed["partner_2"] = f"厦门大学（{OWN_INSTITUTION}）"
    assert _post(client, f"/market/cooperation/{saved.id}/edit", changed)[0] == 303
    assert "合作项目已保存。" in client.get("/market/cooperation").text
    (edited,) = _projects(app)
    assert (edited.title, edited.funding, edited.partners) == (
        "改正后的项目",
        1_200_000.0,
        (Party(Kind.INSTITUTION, OWN_INSTITUTION),),
    )

    withdraw = f"/market/cooperation/{saved.id}/withdraw"
    status, _, asked = _post(client, withdraw, {})
    assert status == 200 and "撤回此合作项目？" in asked and 'name="reason"' in asked
    status, _, refused = _post(client, withdraw, {"confirmed": "yes", "reason": "  "})
    assert status == 422 and "请写明撤回原因" in refused
    assert len(_projects(app)) == 1
    status, _, _ = _post(client, withdraw, {"confirmed": "yes", "reason": "重复登记"})
    assert status == 303
    after = client.get("/market/cooperation").text
    assert "合作项目已撤回。" in after and "改正后的项目" not in after
    assert _projects(app) == [] and counts()["iur"] == {}
    assert client.get(f"/market/cooperation/{saved.id}/edit").status_code == 404
    assert _audit(app, "record_created") == [
        (f"cooperation_project:{saved.id}", details(title="网页登记的产学研项目"))
    ]
    assert _audit(app, "record_withdrawn") == [
        (f"cooperation_project:{saved.id}", details(title="改正后的项目", reason="重复登记"))
    ]


@pytest.mark.parametrize(
    ("field", "bad", "extra"),
    [
        ("year", "二〇二五", {}),
        ("year", "1850", {}),
        ("lead", "没有这个单位", {}),
        ("partner_2", "没有这个单位", {}),
        ("partners", "厦门星海微电子有限公司", {}),  # the lead again, as partner 2
        ("funding", "八十万", {}),
        ("kind", "", {}),
        ("challenge_call_id", "", {"kind": "challenge"}),
    ],
)
def test_a_refused_cooperation_project_keeps_what_was_typed_and_names_the_field(
    app: FastAPI,
    browser_client: Callable[[str], TestClient],
    field: str,
    bad: str,
    extra: dict[str, str],
) -> None:
    client = browser_client("admin")
    typed = {**TYPED, **extra, ("partner_2" if field == "partners" else field): bad}
    status, _, page = _post(client, "/market/cooperation", typed)
    assert status == 422
    assert 'value="网页登记的产学研项目"' in page and 'value="厦门大学"' in page
    assert bad in page  # the refused value itself is kept
    if field == "partners":
        assert 'class="fs-field wide fs-group has-error" id="f-partners"' in page
    else:
        flagged = [
            chunk
            for chunk in page.split("has-error")[1:]
            if f'name="{field}"' in chunk.split("fs-field")[0]
        ]
        assert len(flagged) == 1, page
    assert _projects(app) == []


def test_the_list_is_paged_sorted_and_filtered_by_title(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    records = app.state.services.market.records
    lead = Party(Kind.ENTERPRISE, OWN)
    projects = [
        CooperationProject(CooperationKind.IUR, 2021 + n % 5, f"项目{n:02d}", lead, funding=n)
        for n in range(1, 24)
    ]
    records.add_cooperation_projects(BUREAU_VIEWER, projects)
    client = browser_client("analyst")

    def titles(query: str) -> list[str]:
        page = client.get(f"/market/cooperation?{query}").text
        shown = [f"<td>{p.title}</td>" for p in projects if f"<td>{p.title}</td>" in page]
        return [cell[4:-5] for cell in sorted(shown, key=page.index)]

    first = titles("sort=funding&dir=desc")
    assert first == [f"项目{n:02d}" for n in range(23, 3, -1)]  # 20 a page, largest first
    assert titles("sort=funding&dir=desc&page=2") == ["项目03", "项目02", "项目01"]
    assert titles("sort=funding&dir=desc&page=99") == ["项目03", "项目02", "项目01"]
    assert titles("q=项目1&sort=title") == [f"项目{n}" for n in range(10, 20)]
    assert titles("q=项目1&sort=nonsense") == titles("q=项目1")  # the list's own order
    listed = client.get("/market/cooperation").text
    assert 'href="/market/cooperation/new"' not in listed and "/withdraw" not in listed


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("admin", "analyst")])
def test_only_the_bureau_sees_the_list_and_only_an_administrator_changes_it(
    app: FastAPI, browser_client: Callable[[str], TestClient], role: str
) -> None:
    app.state.services.market.records.add_cooperation_projects(
        BUREAU_VIEWER,
        [CooperationProject(CooperationKind.IUR, 2025, "局内项目", Party(Kind.ENTERPRISE, OWN))],
    )
    (saved,) = _projects(app)
    client = browser_client(role)
    refused = 401 if role == "public" else 403
    edit = f"/market/cooperation/{saved.id}/edit"
    for path in ("/market/cooperation", "/market/cooperation/new", edit):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == (303 if role == "public" else refused), path
        assert "局内项目" not in answer.text
    assert _post(client, "/market/cooperation", TYPED)[0] == refused
    assert _post(client, f"/market/cooperation/{saved.id}/edit", TYPED)[0] == refused
    withdraw = {"confirmed": "yes", "reason": "试图撤回"}
    assert _post(client, f"/market/cooperation/{saved.id}/withdraw", withdraw)[0] == refused
    assert 'href="/market/cooperation"' not in client.get("/market").text
    assert [p.title for p in _projects(app)] == ["局内项目"]


def test_an_analyst_reads_the_list_but_may_not_change_it(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("analyst")
    assert client.get("/market/cooperation").status_code == 200
    assert client.get("/market/cooperation/new").status_code == 403
    assert _post(client, "/market/cooperation", TYPED)[0] == 403
    assert _post(client, "/market/cooperation/1/withdraw", {"confirmed": "yes"})[0] == 403
    assert _projects(app) == []


def test_the_api_withdrawal_keeps_the_reason_given_or_says_recorded_in_error(
    sqlite_app: FastAPI,
) -> None:
    admin = bearer_for(sqlite_app, "admin")
    with TestClient(sqlite_app) as client:
        for _ in range(2):
            added = client.post("/api/market/cooperation", json=COOPERATION, headers=admin)
            assert added.status_code == 201
        given = {"reason": "与 2024 年项目重复"}
        path = "/api/market/cooperation/{}/withdraw"
        assert client.post(path.format(1), json=given, headers=admin).status_code == 200
        assert client.post(path.format(2), headers=admin).status_code == 200
        too_long = client.post(path.format(1), json={"reason": "长" * 1001}, headers=admin)
        assert too_long.status_code == 422
    title = COOPERATION["title"]
    assert _audit(sqlite_app, "record_withdrawn") == [
        ("cooperation_project:1", details(title=title, reason="与 2024 年项目重复")),
        ("cooperation_project:2", details(title=title, reason="登记有误 (recorded in error)")),
    ]
