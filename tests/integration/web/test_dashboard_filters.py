"""The home dashboard's year and district filters, the year-on-year change beside each headline
figure and the plan target beside the figures that have one (issue 13 §5)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi import FastAPI

from fourchain.adapters.db.tables import certificates, patents
from fourchain.domain.foresight.outlook import Direction, PlanTarget
from tests.integration.web.client import TestClient
from tests.integration.web.fixtures import OTHER, OWN

TILE = re.compile(
    r'<div class="tile" data-figure="(\w+)"><span class="value">([\d,]+)</span>(.*?)</div>', re.S
)


def _tiles(html: str) -> dict[str, tuple[int, str]]:
    """Each headline figure: its value and the rest of its tile (change, target)."""
    return {key: (int(value.replace(",", "")), rest) for key, value, rest in TILE.findall(html)}


def _home(app: FastAPI, query: str = "") -> str:
    with TestClient(app) as client:
        response = client.get(f"/{query}")
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_the_year_filter_changes_the_figures(app: FastAPI) -> None:
    last = _tiles(_home(app))
    earlier = _tiles(_home(app, "?year=2024"))
    assert last["tech_sme"][0] == 0 and earlier["tech_sme"][0] == 1  # held through 2024 only
    assert last["srdi_sme"][0] == 1 and _tiles(_home(app, "?year=2023"))["srdi_sme"][0] == 0
    assert 'value="2024" selected' in _home(app, "?year=2024")


def test_the_district_filter_narrows_the_enterprises_and_their_certificates(app: FastAPI) -> None:
    city = _tiles(_home(app))
    html = _home(app, "?district=湖里")
    huli = _tiles(html)
    assert city["enterprises"][0] == 3 and huli["enterprises"][0] == 1
    assert city["hnte"][0] == 1 and huli["hnte"][0] == 0  # the HNTE holder is in 思明
    assert huli["srdi_sme"][0] == 1
    assert "全市" not in huli["institutions"][1] and "全市" not in huli["hnte"][1]
    assert "区县筛选作用于全部指标" in html
    # the map stays city-wide, with the chosen district marked in its table
    siming = _home(app, "?district=思明")
    assert '<tr aria-current="true" class="selected"><td>思明</td>' in siming
    assert 'class="selected"' not in _home(app)


def test_the_district_filter_narrows_institutions_and_patents_too(app: FastAPI) -> None:
    """Institutions by their own district, patents by their holder's: never a city total
    under a district's heading (on the page and in the API alike)."""
    with app.state.services.database.engine.begin() as connection:
        connection.execute(
            patents.insert(),
            [
                {
                    "number": f"CN2020{n}",
                    "title": title,
                    "kind": "invention",
                    "holder_credit_code": holder,
                    "filed": date(2019, 5, 1),
                    "granted": date(2021, 6, 1),
                }
                for n, (title, holder) in enumerate(
                    [("芯片封装方法", OWN), ("抗体纯化工艺", OTHER), ("晶圆检测装置", OWN)]
                )
            ],
        )
    city, huli, siming = (_tiles(_home(app, q)) for q in ("", "?district=湖里", "?district=思明"))
    assert city["institutions"][0] == 2  # one in 思明, one in 海沧
    assert (siming["institutions"][0], huli["institutions"][0]) == (1, 0)
    assert city["valid_invention"][0] == 3
    assert (siming["valid_invention"][0], huli["valid_invention"][0]) == (2, 1)
    with TestClient(app) as client:
        board = client.get("/api/dashboard", params={"district": "思明"}).json()
    assert board["figures"]["institutions"] == 1 and board["figures"]["valid_invention"] == 2
    assert sum(board["institutions"].values()) == 1 and board["patents"]["valid_invention"] == 2


def test_the_change_from_the_year_before_has_its_sign_and_none_without_a_year_before(
    app: FastAPI,
) -> None:
    with app.state.services.database.engine.begin() as connection:
        connection.execute(
            certificates.insert(),
            [
                {
                    "credit_code": OTHER,
                    "tier": "hnte",
                    "number": "GR202535000009",
                    "issued": date(2025, 3, 1),
                    "expires": date(2028, 2, 28),
                    "issuer": "福建省",
                }
            ],
        )
    tiles = _tiles(_home(app))
    assert tiles["hnte"][0] == 2 and "+100.0% 同比" in tiles["hnte"][1]  # 1 -> 2
    assert "-100.0% 同比" in tiles["tech_sme"][1]  # 1 -> 0
    assert "0.0% 同比" in tiles["enterprises"][1] and "+0.0%" not in tiles["enterprises"][1]
    first = _tiles(_home(app, "?year=2023"))  # the first year of data: nothing to compare
    assert all("同比" not in rest for _, rest in first.values())


def test_a_plan_target_shows_beside_its_figure_when_one_is_imported(app: FastAPI) -> None:
    assert all("目标" not in rest for _, rest in _tiles(_home(app)).values())
    with app.state.services.foresight.services() as area:
        area.targets.save(
            [PlanTarget("hnte_count", 2027, 5000, Direction.AT_LEAST, "十四五规划", "test")]
        )
    tiles = _tiles(_home(app))
    assert "目标 2027: 5,000" in tiles["hnte"][1]
    assert "目标" not in tiles["enterprises"][1] and "目标" not in tiles["little_giant"][1]


@pytest.mark.parametrize(
    "query",
    ["?year=abc", "?year=1999", "?year=99999999999999999999", "?district=火星", "?year=&district="],
)
def test_a_bad_year_or_district_is_ignored_and_said_so(app: FastAPI, query: str) -> None:
    html = _home(app, query)
    assert _tiles(html) == _tiles(_home(app))
    assert ("已忽略" in html) == (query != "?year=&district=")


def test_the_filtered_dashboard_is_kept_per_year_and_district(app: FastAPI) -> None:
    views = app.state.services.registry.views
    assert views.dashboard(2024, "湖里") is views.dashboard(2024, "湖里")
    assert views.dashboard(2024, "湖里") is not views.dashboard(2024, None)


def test_the_api_takes_the_same_filters_and_refuses_a_year_without_data(app: FastAPI) -> None:
    with TestClient(app) as client:
        board = client.get("/api/dashboard", params={"year": 2024, "district": "湖里"}).json()
        assert board["year"] == 2024 and board["district"] == "湖里"
        assert board["figures"]["enterprises"] == 1 and board["figures"]["srdi_sme"] == 1
        assert board["changes"]["srdi_sme"] is None  # none held in 2023: no change from 0
        assert client.get("/api/dashboard", params={"year": 1999}).status_code == 404
        assert client.get("/api/dashboard", params={"district": "火星"}).status_code == 404


def test_the_change_and_the_target_read_in_english_too(app: FastAPI) -> None:
    with app.state.services.foresight.services() as area:
        area.targets.save(
            [PlanTarget("little_giants", 2027, 120, Direction.AT_LEAST, "plan", "test")]
        )
    with TestClient(app) as client:
        client.get("/lang/en")
        html = client.get("/?year=2025").text
    tiles = _tiles(html)
    assert "-100.0% year on year" in tiles["tech_sme"][1]
    assert "Target 2027: 120" in tiles["little_giant"][1] and "Whole city" in html
