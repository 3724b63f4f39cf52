"""The cultivation pages and API: the pool is the bureau's; an enterprise's pre-screen is for
the bureau and that enterprise only — to anyone else it answers exactly like a missing one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from fourchain.services.jobs import CULTIVATION_POOLS
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import app, bearer_for, browser_client  # noqa: F401
from tests.integration.web.fixtures import MISSING, OTHER, OWN

PRESCREEN = [
    # (account, enterprise, status)
    ("admin", OWN, 200),
    ("analyst", OTHER, 200),
    ("ent", OWN, 200),
    ("ent", OTHER, 404),
    ("ent", MISSING, 404),
    ("inst", OWN, 404),
    ("expert", OWN, 404),
    ("public", OWN, 401),
]


@pytest.mark.parametrize(("account", "code", "status"), PRESCREEN)
def test_a_pre_screen_is_for_the_bureau_and_the_enterprise_itself(
    app: FastAPI,  # noqa: F811
    account: str,
    code: str,
    status: int,
) -> None:
    client = TestClient(app)
    answer = client.get(f"/api/cultivation/enterprises/{code}", headers=bearer_for(app, account))
    assert answer.status_code == status, answer.text
    if status == 200:
        tiers = [item["tier"] for item in answer.json()]
        assert "hnte" in tiers
        first = answer.json()[0]
        assert {"credit_code", "tier", "rule_set", "outcome", "score", "criteria"} <= set(first)
    if status == 404:
        body = answer.json()
        assert body["error"] == "not_found" and code in body["message"]
        missing = client.get(
            f"/api/cultivation/enterprises/{MISSING}", headers=bearer_for(app, account)
        )
        assert missing.json()["message"].replace(MISSING, code) == body["message"]


@pytest.mark.parametrize(
    ("account", "status"),
    [("admin", 200), ("analyst", 200), ("ent", 403), ("inst", 403), ("public", 401)],
)
def test_the_reserve_pool_api_is_the_bureaus(
    app: FastAPI,  # noqa: F811
    account: str,
    status: int,
) -> None:
    answer = TestClient(app).get(
        "/api/cultivation/pool?tier=tech_sme&include_not_yet=true",
        headers=bearer_for(app, account),
    )
    assert answer.status_code == status, answer.text
    if status == 200:
        pool = answer.json()
        assert pool["tier"] == "tech_sme" and sum(pool["counts"].values()) >= 2


def test_the_pool_page_lists_candidates_and_exports_xlsx(
    app: FastAPI,  # noqa: F811
    browser_client: Callable[[str], TestClient],  # noqa: F811
) -> None:
    client = browser_client("analyst")
    assert "后备库尚未计算" in client.get("/cultivation?tier=tech_sme").text  # the job queued
    jobs = app.state.services.jobs.jobs
    for job in jobs.active(CULTIVATION_POOLS):  # as the worker runs it
        jobs.run(job.id)
    page = client.get("/cultivation?tier=tech_sme&more=true")
    assert page.status_code == 200
    assert "后备库" in page.text and "tech_sme-2022" in page.text
    book = client.get("/cultivation/pool.xlsx?tier=tech_sme&more=true")
    assert book.status_code == 200
    assert book.content[:2] == b"PK"  # a zip container: an XLSX workbook


def test_the_self_check_shows_an_enterprise_user_its_own_pre_screen_only(
    browser_client: Callable[[str], TestClient],  # noqa: F811
) -> None:
    client = browser_client("ent")
    own = client.get("/cultivation/self-check")
    assert own.status_code == 200
    assert str(own.url).endswith(f"/cultivation/enterprises/{OWN}")
    assert "高新技术企业" in own.text and "预筛" in own.text
    assert "梯度历程" in own.text  # its ladder history (the fixture holds certificates)
    assert client.get(f"/cultivation/enterprises/{OTHER}").status_code == 404
    assert browser_client("analyst").get("/cultivation/self-check").status_code == 403
