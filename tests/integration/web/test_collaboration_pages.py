"""The open-collaboration pages: the networks' figures, the world map's and graph's data, and
the honours register with its source documents; open to every role and the public."""

from __future__ import annotations

import gc
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.bootstrap import Database
from fourchain.demo.collaboration import build_collaboration_demo
from fourchain.entrypoints.web.app import create_app
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import add_accounts, sign_in, web_settings
from tests.integration.web.fixtures import ACCOUNTS, seed_registry


@pytest.fixture
def app(sqlite_database: Database, tmp_path: Path) -> Iterator[FastAPI]:
    seed_registry(sqlite_database.engine)
    build_collaboration_demo(sqlite_database.engine, seed=7)
    made = create_app(sqlite_database, web_settings(fourchain_data_dir=tmp_path / "data"))
    add_accounts(made.state.services)
    yield made
    gc.collect()


def _attribute(body: str, name: str) -> dict[str, object]:
    match = re.search(rf'{name}="([^"]*)"', body)
    assert match is not None, name
    data: dict[str, object] = json.loads(html.unescape(match.group(1)))
    return data


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_role_sees_the_networks_figures_map_and_graph(app: FastAPI, role: str) -> None:
    with TestClient(app) as client:
        login = ACCOUNTS[role]
        if login.role is not None:
            assert sign_in(client, login.username) == 303
        answer = client.get("/collaboration?year=2025")
        assert answer.status_code == 200
        body = answer.text
        rows = re.findall(
            r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", body
        )
        figures = {name: (int(a), int(b), int(c)) for name, a, b, c in rows}
        assert figures["金砖创新基地孵化园国际合作网络"] == (45, 11, 138)
        assert figures["海洋负排放国际大科学计划"][:2] == (104, 35)
        world = _attribute(body, "data-world")
        assert str(world["geo"]).startswith("/static/vendor/world-geo-json-zh-")
        series = {str(s["code"]): int(s["value"]) for s in world["series"]}  # type: ignore[attr-defined]
        assert series["CN"] >= 1 and series["BR"] >= 1 and len(series) >= 35
        graph = _attribute(body, "data-graph")
        assert len(graph["edges"]) == 45 + 104  # type: ignore[arg-type]
        honours = client.get("/collaboration/honours")
        assert honours.status_code == 200
        assert "国家高新区综合评价" in honours.text and "1类创新药" in honours.text
        assert "科技部火炬中心" in honours.text  # the source document


def test_the_world_boundaries_are_served_from_the_app(app: FastAPI) -> None:
    with TestClient(app) as client:
        answer = client.get("/static/vendor/world-geo-json-zh-2.1.5/world.zh.json")
        assert answer.status_code == 200
        codes = {f["properties"]["iso_a2"] for f in answer.json()["features"]}
        assert {"CN", "BR", "ZA", "RU", "IN"} <= codes
