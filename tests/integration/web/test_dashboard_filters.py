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
from tests.integration.web.fixtures import OTHER, OTHER_INSTITUTION, OWN, OWN_INSTITUTION, THIRD

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
    # every figure follows the filter, so no tile is marked city-wide; the page says how
    assert all("全市" not in rest for _, rest in huli.values())
    assert "区县筛选作用于所有指标" in html
    # the map stays city-wide, with the chosen district marked in its table
    siming = _home(app, "?district=思明")
    assert '<tr aria-current="true" class="selected"><td>思明</td>' in siming
    assert 'class="selected"' not in _home(app)


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


def _patent(number: str, granted: date, **holder: str) -> dict[str, object]:
    return {
        "number": number,
        "title": number,
        "kind": "invention",
        "filed": date(2020, 1, 1),
        "granted": granted,
        "hv_award": number.endswith("H"),
        "holder_credit_code": holder.get("enterprise"),
        "holder_institution": holder.get("institution"),
    }


def _seed_patents(app: FastAPI) -> None:
    """Patents held by enterprises of 思明, 湖里 and 集美 and by the institutions of 思明 and
    海沧; the 思明 ones (an enterprise's and the university's) include one of high value."""
    rows = [
        _patent("CN1H", date(2022, 5, 1), enterprise=OWN),  # 思明, high value
        _patent("CN2", date(2024, 5, 1), institution=OWN_INSTITUTION),  # 思明, from 2024
        _patent("CN3", date(2022, 5, 1), enterprise=OTHER),  # 湖里
        _patent("CN4", date(2022, 5, 1), enterprise=THIRD),  # 集美
        _patent("CN5H", date(2022, 5, 1), institution=OTHER_INSTITUTION),  # 海沧
    ]
    with app.state.services.database.engine.begin() as connection:
        connection.execute(patents.insert(), rows)


@pytest.mark.parametrize(
    ("district", "institutions", "inventions", "high_value"),
    [(None, 2, 5, 2), ("思明", 1, 2, 1), ("湖里", 0, 1, 0), ("海沧", 1, 1, 1), ("集美", 0, 1, 0)],
)
def test_institutions_and_patents_follow_the_district_of_their_holder(
    app: FastAPI, district: str | None, institutions: int, inventions: int, high_value: int
) -> None:
    _seed_patents(app)
    query = f"?district={district}" if district else ""
    tiles = _tiles(_home(app, query))
    assert tiles["institutions"][0] == institutions
    assert tiles["valid_invention"][0] == inventions
    assert tiles["high_value_invention"][0] == high_value
    with TestClient(app) as client:
        board = client.get("/api/dashboard", params={"district": district or ""}).json()
    assert board["district"] == district
    assert board["figures"]["institutions"] == institutions
    assert sum(board["institutions"].values()) == institutions
    assert board["patents"]["valid_invention"] == inventions
    assert board["patents"]["high_value_invention"] == high_value


def test_the_district_and_the_year_narrow_the_patents_together(app: FastAPI) -> None:
    _seed_patents(app)
    with TestClient(app) as client:
        before = client.get("/api/dashboard", params={"year": 2023, "district": "思明"}).json()
        after = client.get("/api/dashboard", params={"year": 2024, "district": "思明"}).json()
    assert before["figures"]["valid_invention"] == 1  # the university's is granted in 2024
    assert after["figures"]["valid_invention"] == 2
    assert after["changes"]["valid_invention"] == 100.0
    assert after["enterprises"] == 1 and after["certificates"]["hnte"] == 1
