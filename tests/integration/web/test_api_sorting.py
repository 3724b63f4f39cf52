"""The JSON API's lists take `sort=field` / `sort=-field` with the fields their pages' tables
sort by, say so in the OpenAPI description, and refuse another field with a 422 naming
`sort` (the fuzzer sends only the listed choices)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from fourchain.domain.market import ACHIEVEMENT_SORTS, DEMAND_SORTS
from fourchain.entrypoints.web.api.pipeline import PROJECT_SORTS
from fourchain.services.registry_views import DIRECTORY_SORTS, INSTITUTION_SORTS
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for
from tests.integration.web.test_market_writes import ACHIEVEMENT, DEMAND

LISTS = {
    "/api/enterprises": DIRECTORY_SORTS,
    "/api/institutions": INSTITUTION_SORTS,
    "/api/market/achievements": ACHIEVEMENT_SORTS,
    "/api/market/demands": DEMAND_SORTS,
    "/api/pipeline/projects": tuple(PROJECT_SORTS),
}


def _sort_parameter(schema: dict[str, Any], path: str) -> dict[str, Any]:
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(p for p in parameters if p["name"] == "sort")["schema"]


@pytest.mark.parametrize("path", list(LISTS))
def test_each_list_offers_its_tables_fields_and_refuses_another(
    sqlite_app: FastAPI, path: str
) -> None:
    with TestClient(sqlite_app) as client:
        schema = client.get("/api/openapi.json").json()
        choices = set(_sort_parameter(schema, path)["enum"])
        assert {*LISTS[path], *(f"-{key}" for key in LISTS[path])} <= choices
        headers = bearer_for(sqlite_app, "admin")
        for key in LISTS[path]:
            for value in (key, f"-{key}"):
                answer = client.get(path, params={"sort": value}, headers=headers)
                assert answer.status_code == 200, (path, value, answer.text)
        refused = client.get(path, params={"sort": "password"}, headers=headers)
        assert refused.status_code == 422 and "sort" in refused.json()["message"]


@pytest.mark.parametrize(
    ("path", "field", "key"),
    [
        ("/api/enterprises", "name", "name"),
        ("/api/institutions", "name", "name"),
        ("/api/market/achievements", "title", "title"),
        ("/api/market/demands", "budget", "budget"),
    ],
)
def test_a_list_comes_in_the_order_asked_for(
    sqlite_app: FastAPI, path: str, field: str, key: str
) -> None:
    headers = bearer_for(sqlite_app, "admin")
    with TestClient(sqlite_app) as client:
        inst, ent = bearer_for(sqlite_app, "inst"), bearer_for(sqlite_app, "ent")
        for n, title in enumerate(("乙传感器", "甲传感器", "丙传感器")):
            achievement = {**ACHIEVEMENT, "title": title}
            assert client.post(
                "/api/market/achievements", json=achievement, headers=inst
            ).is_success
            demand = {**DEMAND, "budget": 300_000 + 200_000 * ((n + 1) % 3)}
            assert client.post("/api/market/demands", json=demand, headers=ent).is_success
        up = [i[key] for i in client.get(f"{path}?sort={field}", headers=headers).json()["items"]]
        down = [
            i[key] for i in client.get(f"{path}?sort=-{field}", headers=headers).json()["items"]
        ]
    assert len(up) >= 2, path
    assert up == sorted(up) and down == sorted(down, reverse=True) and up != down
