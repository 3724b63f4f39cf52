"""The foresight pages: the policy what-if and the outlook. Bureau staff only; this is the
area's own access matrix (named in test_matrix.COVERED_ELSEWHERE): the pages hold no per-owner
object, so every other role gets the role refusal and the public is sent to sign in."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.bootstrap import Database
from fourchain.entrypoints.web.app import create_app
from tests.integration.cultivation.random_profiles import YEAR, profiles
from tests.integration.cultivation.registry_fill import fill
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import add_accounts, sign_in, web_settings
from tests.integration.web.fixtures import ACCOUNTS, seed_registry

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
PAGES = (
    f"/foresight?year={YEAR}&tier=hnte&field=rd_expense&percent=20",
    "/foresight/outlook?indicator=hnte_count",
)


@pytest.fixture
def app(sqlite_database: Database, tmp_path: Path) -> Iterator[FastAPI]:
    seed_registry(sqlite_database.engine)  # the accounts' own enterprise and institution
    with sqlite_database.engine.begin() as connection:
        fill(connection, profiles(150, seed=3))
    made = create_app(sqlite_database, web_settings(fourchain_data_dir=tmp_path / "data"))
    add_accounts(made.state.services)
    yield made
    gc.collect()


@pytest.fixture
def client_as(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    clients: list[TestClient] = []

    def make(key: str) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        login = ACCOUNTS[key]
        if login.role is not None:
            assert sign_in(client, login.username) == 303
        return client

    yield make
    for client in clients:
        client.close()


@pytest.mark.parametrize("role", ROLES)
def test_only_bureau_staff_reach_the_foresight_pages(
    role: str, client_as: Callable[[str], TestClient]
) -> None:
    client = client_as(role)
    expect = 303 if role == "public" else 200 if role in BUREAU else 403
    found = {path: client.get(path, follow_redirects=False).status_code for path in PAGES}
    assert found == dict.fromkeys(PAGES, expect)


def test_the_what_if_page_shows_the_scenario_its_cost_and_the_r_and_d_sweep(
    client_as: Callable[[str], TestClient],
) -> None:
    page = client_as("analyst").get(PAGES[0])
    assert page.status_code == 200
    assert "政策情景测算" in page.text and "首次认定国家高新技术企业奖励" in page.text
    assert page.text.count('class="chart"') == 3
    shown = re.sub(r"<[^>]*>", " ", page.text.split("<main")[-1])  # the text a reader sees
    assert "rd_expense" not in shown and "rd_ratio" not in shown  # no internal keys


@pytest.mark.parametrize(
    "path", ["/foresight?tier=nope", "/foresight?field=name", "/foresight?percent=-100"]
)
def test_a_bad_scenario_is_refused(client_as: Callable[[str], TestClient], path: str) -> None:
    answer = client_as("analyst").get(path)
    assert answer.status_code == 422
    assert 'class="field-error"' in answer.text  # the same form, the reason beside the field


def test_a_refused_percentage_stays_as_typed_beside_its_reason(
    client_as: Callable[[str], TestClient],
) -> None:
    answer = client_as("analyst").get(f"/foresight?year={YEAR}&tier=hnte&percent=二十")
    assert answer.status_code == 422
    assert 'value="二十"' in answer.text and f'value="{YEAR}"' in answer.text
    assert 'aria-describedby="f-percent-help f-percent-error"' in answer.text


def test_the_outlook_page_charts_the_chosen_indicator_and_lists_every_one(
    client_as: Callable[[str], TestClient],
) -> None:
    page = client_as("analyst").get(PAGES[1])
    assert page.status_code == 200
    assert "规划期末展望" in page.text and 'data-indicator="hnte_count"' in page.text
    assert page.text.count('class="chart"') == 1
