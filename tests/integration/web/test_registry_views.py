"""What the registry pages and API show: the dashboard's figures, the directory's search and
filters, the export, profiles and institutions, on both backends."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from tests.integration.web.client import TestClient
from tests.integration.web.fixtures import OTHER, OTHER_INSTITUTION, OWN, THIRD


def test_the_dashboard_counts_certificates_per_tier_per_year_and_enterprises_per_cluster(
    app: FastAPI,
) -> None:
    with TestClient(app) as client:
        board = client.get("/api/dashboard").json()
    assert board["year"] == 2025 and board["years"] == [2023, 2024, 2025]
    assert board["enterprises"] == 3
    series = board["certificates_per_tier"]
    assert series["hnte"] == [1, 1, 1]  # issued Nov 2023, valid to Oct 2026
    assert series["tech_sme"] == [0, 1, 0]  # valid through 2024 only
    assert series["srdi_sme"] == [0, 1, 1]
    assert series["single_champion"] == [0, 0, 0]
    assert board["enterprises_per_cluster"] == {
        "electronic_information": 1, "biomedicine": 1, "new_materials": 1,
    }  # fmt: skip
    assert board["certificates"]["hnte"] == 1 and board["institutions"]["university"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {OWN, OTHER, THIRD}),
        ("query=星海", {OWN}),
        (f"query={OTHER[:12].lower()}", {OTHER, OWN, THIRD}),  # a shared credit-code prefix
        (f"query={OTHER}", {OTHER}),
        ("cluster=biomedicine", {OTHER}),
        ("district=集美", {THIRD}),
        ("tier=hnte", {OWN}),
        ("tier=tech_sme", set()),  # held only in 2024; the data ends in 2025
        ("query=100%25", set()),  # a literal percent sign matches nothing
        ("query=厦门&cluster=new_materials", {THIRD}),
    ],
)
def test_the_directory_searches_by_name_or_code_and_filters(
    app: FastAPI, query: str, expected: set[str]
) -> None:
    with TestClient(app) as client:
        body = client.get(f"/api/enterprises?{query}").json()
    assert {item["credit_code"] for item in body["items"]} == expected
    assert body["total"] == len(expected)


def test_the_directory_pages_in_name_order(app: FastAPI) -> None:
    with TestClient(app) as client:
        pages = [client.get(f"/api/enterprises?page={n}&page_size=2").json() for n in (1, 2)]
    assert [p["pages"] for p in pages] == [2, 2]
    names = [item["name"] for p in pages for item in p["items"]]
    assert names == sorted(names) and len(names) == 3


def test_the_export_is_the_search_as_csv_with_no_figures_and_is_logged(app: FastAPI) -> None:
    with TestClient(app) as client:
        response = client.get("/enterprises/export.csv?cluster=electronic_information")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0] == ["credit_code", "name", "district", "cluster", "founded", "tiers_held"]
    assert rows[1][0] == OWN and rows[1][5] == "hnte" and len(rows) == 2
    log = [e.event for e in app.state.services.auth.audit.store.in_order()]
    assert any(e.action == "export" and e.detail == '{"rows":1}' for e in log)


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil.example","点我")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3"],
)
def test_the_export_writes_a_name_that_starts_a_formula_as_inert_text(
    app: FastAPI, name: str
) -> None:
    with app.state.services.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE enterprises SET name = :name WHERE credit_code = :code"),
            {"name": name, "code": OWN},
        )
    with TestClient(app) as client:
        response = client.get("/enterprises/export.csv?cluster=electronic_information")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[1][1] == "'" + name


def test_the_public_profile_has_identity_certificates_and_chain_but_no_figures(
    app: FastAPI,
) -> None:
    with TestClient(app) as client:
        body = client.get(f"/api/enterprises/{OWN}").json()
        page = client.get(f"/enterprises/{OWN}").text
    assert body["enterprise"]["name"] == "厦门星海微电子有限公司"
    assert body["tiers_held"] == ["hnte"] and body["held_on"] == "2025-12-31"
    assert len(body["certificates"]) == 2
    assert body["chain_link"]["chain"] == "ic_chain"
    assert body["chain_link"]["position"] == "upstream"
    assert "revenue" not in str(body)
    assert "/chains/ic_chain" in page and "保密数据" in page


def test_institution_and_platform_lists_filter_by_kind(app: FastAPI) -> None:
    with TestClient(app) as client:
        platforms = client.get("/api/institutions?kind=pilot_platform").json()
        one = client.get(f"/api/institutions/{OTHER_INSTITUTION}").json()
        page = client.get("/institutions?group=platforms").text
    assert [i["id"] for i in platforms["items"]] == [OTHER_INSTITUTION]
    assert one["host_credit_code"] == OTHER and one["kind"] == "pilot_platform"
    assert "厦门中试平台" in page and "厦门大学" not in page
