"""Pipeline and capital pages and API for every role: aggregates for everyone, a person's
contact and a project's money only for the bureau, its host institution and its enterprise,
a fund's portfolio only for the bureau."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.domain.finance import Commitment, Fund, FundKind, Investment
from fourchain.domain.pipeline import GATES, STAGES, EventKind, PipelineEvent, Project
from fourchain.domain.talent import Membership, Person, ProjectRole
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import ACCOUNTS, OWN_INSTITUTION

ROLES = list(ACCOUNTS)
EMAIL = "lin.lead@example.org"
AMOUNT = 7_654_321.0
INSIDERS = {"admin", "analyst", "inst"}  # the bureau and the project's host institution


def _seed(app: FastAPI) -> None:
    engine = app.state.services.database.engine
    rd, poc = STAGES[:2]
    with engine.begin() as connection:
        store, money = SqlPipelineStore(connection), SqlFinanceStore(connection)
        store.add_projects([Project("P1", "固态电池电解质", date(2022, 1, 1), "officer")])
        store.append_events(
            "P1",
            [
                PipelineEvent(EventKind.ENTERED_STAGE, date(2022, 1, 3), "officer", stage=rd,
                              trl=2, institution=OWN_INSTITUTION),
                PipelineEvent(EventKind.ENTERED_STAGE, date(2023, 1, 3), "officer", stage=poc,
                              trl=4, evidence=GATES[poc].evidence),
                PipelineEvent(EventKind.FUNDING, date(2023, 2, 1), "officer", amount=AMOUNT),
            ],
            datetime(2025, 1, 1),
        )  # fmt: skip
        store.add_people([Person("PS1", "林晓", OWN_INSTITUTION, "固态电池", EMAIL)])
        store.add_memberships(
            [Membership("PS1", "P1", ProjectRole.LEAD_SCIENTIST, date(2022, 1, 3))]
        )
        money.add_funds([Fund("venture", "科创风投基金", FundKind.VENTURE, 1e9)])
        money.add_commitments([Commitment("venture", "市财政", 1e8, True, date(2022, 1, 1))])
        money.add_investments(
            [Investment("科创风投基金", "种子轮", AMOUNT, date(2023, 2, 1), "venture", "P1")]
        )


@pytest.fixture
def seeded_app(app: FastAPI) -> FastAPI:
    _seed(app)
    return app


@pytest.mark.parametrize("role", ROLES)
def test_the_board_funnel_and_capital_views_are_open_to_everyone(
    role: str, seeded_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client(role)
    board = client.get("/pipeline")
    assert board.status_code == 200
    assert "固态电池电解质" in board.text and "data-sankey" in board.text
    assert client.get("/finance").status_code == 200
    funnel = client.get("/api/pipeline/funnel").json()
    assert [(r["stage"], r["entered"], r["passed"]) for r in funnel][:3] == [
        ("rd_institution", 1, 1), ("proof_of_concept", 1, 0), ("pilot", 0, 0),
    ]  # fmt: skip
    assert client.get("/api/pipeline/flows").json() == [
        {"source": "rd_institution", "target": "proof_of_concept", "count": 1}
    ]


@pytest.mark.parametrize("role", ROLES)
def test_contact_details_and_money_show_only_to_the_bureau_and_the_host_institution(
    role: str, seeded_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client(role)
    page = client.get("/pipeline/projects/P1")
    detail = client.get("/api/pipeline/projects/P1").json()
    assert page.status_code == 200 and "林晓" in page.text
    person = detail["team"][0]["person"]
    if role in INSIDERS:
        assert EMAIL in page.text and person["email"] == EMAIL
        assert detail["money"]["total"] == AMOUNT
        assert "765.43" in page.text and "7,654,321" not in page.text  # in 万元, not raw 元
    else:
        assert EMAIL not in page.text and "email" not in person
        assert detail["money"] is None
        assert all(e["amount"] is None for e in detail["timeline"])
        assert "7,654,321" not in page.text and "7654321" not in page.text
        assert "765.43" not in page.text
    assert ("expertise" in person) == (role in INSIDERS | {"expert"})


@pytest.mark.parametrize("role", ROLES)
def test_a_funds_portfolio_is_for_the_bureau_only(
    role: str, seeded_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    page = browser_client(role).get("/finance/funds/venture", follow_redirects=False)
    with TestClient(seeded_app) as api:
        answer = api.get(
            "/api/finance/funds/venture/portfolio", headers=bearer_for(seeded_app, role)
        )
    if role in ("admin", "analyst"):
        assert page.status_code == 200 and "P1" in page.text
        assert answer.json()[0]["stage"] == "proof_of_concept"
    elif role == "public":
        assert (page.status_code, answer.status_code) == (303, 401)
    else:
        assert (page.status_code, answer.status_code) == (403, 403)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/pipeline/projects/NOPE", 404),
        ("/api/pipeline/projects/NOPE", 404),
        ("/api/pipeline/projects?stage=lab", 422),
        ("/api/pipeline/funnel?cohort=1800", 422),
    ],
)
def test_missing_projects_and_bad_filters_answer_with_the_error_map(
    seeded_app: FastAPI, path: str, status: int
) -> None:
    with TestClient(seeded_app) as client:
        assert client.get(path).status_code == status


def _advance(client: TestClient, **fields: str) -> object:
    client.get("/pipeline/projects/P1")
    data = {"csrf_token": form_token(client), **fields}
    files = [("evidence", ("试点报告.pdf", b"%PDF pilot", "application/pdf"))]
    return client.post(
        "/pipeline/projects/P1/advance", data=data, files=files, follow_redirects=False
    )


@pytest.mark.parametrize("role", ROLES)
def test_bureau_staff_advance_a_project_with_evidence_and_others_may_not(
    role: str,
    seeded_app: FastAPI,
    browser_client: Callable[[str], TestClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr(seeded_app.state.services.settings, "fourchain_data_dir", data)
    client = browser_client(role)
    answer = _advance(client, to="pilot", trl="5", on="2024-03-01")
    detail = TestClient(seeded_app).get("/api/pipeline/projects/P1").json()
    if role in ("admin", "analyst"):
        assert answer.status_code == 303  # type: ignore[attr-defined]
        assert detail["project"]["stage"] == "pilot"
        assert detail["timeline"][-1]["evidence"] == ["poc_report"]
        assert detail["timeline"][-1]["by"] == role
        assert len([p for p in data.rglob("*") if p.is_file()]) == 1
    else:
        assert answer.status_code == (401 if role == "public" else 403)  # type: ignore[attr-defined]
        assert detail["project"]["stage"] == "proof_of_concept"
        assert not data.exists()


@pytest.mark.parametrize(
    ("role", "fields", "status", "reason"),
    [
        ("admin", {"to": "incubator", "trl": "7"}, 409, "a stage cannot be skipped"),
        ("analyst", {"to": "incubator", "override_reason": "专项"}, 409, "only an administrator"),
        ("admin", {"to": "pilot", "trl": "5", "on": "2024-13-01"}, 422, "a date like 2025-03-01"),
        ("admin", {"to": "lab"}, 422, "unknown target"),
    ],
)
def test_a_refused_move_in_the_browser_explains_itself_and_writes_nothing(
    seeded_app: FastAPI,
    browser_client: Callable[[str], TestClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    role: str,
    fields: dict[str, str],
    status: int,
    reason: str,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr(seeded_app.state.services.settings, "fourchain_data_dir", data)
    answer = _advance(browser_client(role), **fields)
    assert answer.status_code == status  # type: ignore[attr-defined]
    assert reason in answer.text  # type: ignore[attr-defined]
    detail = TestClient(seeded_app).get("/api/pipeline/projects/P1").json()
    assert (detail["project"]["stage"], len(detail["timeline"])) == ("proof_of_concept", 3)
    assert not data.exists()


def test_an_administrator_may_override_a_gate_with_a_recorded_reason(
    seeded_app: FastAPI,
    browser_client: Callable[[str], TestClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr(seeded_app.state.services.settings, "fourchain_data_dir", data)
    fields = {"to": "incubator", "on": "2024-03-01", "override_reason": "省重大专项直接孵化"}
    assert _advance(browser_client("admin"), **fields).status_code == 303  # type: ignore[attr-defined]
    page = browser_client("public").get("/pipeline/projects/P1")
    assert "2024-03-01 admin: 省重大专项直接孵化" in page.text
