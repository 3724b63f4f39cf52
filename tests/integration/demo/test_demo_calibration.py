"""The full demo city gives the published figures under docs/indicators.md: counts through
`fourchain summary`, derived figures by straightforward SQL over the registry tables."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fourchain.demo.build import DemoStats
from fourchain.entrypoints.cli.main import run

pytestmark = pytest.mark.slow
YE = "'{year}-12-31'"


@pytest.fixture(scope="module")
def sql(demo_city: tuple[Path, DemoStats]) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(demo_city[0])
    yield connection
    connection.close()


def _one(sql: sqlite3.Connection, query: str, *params: object) -> float:
    return float(sql.execute(query, params).fetchone()[0])


def _macro(sql: sqlite3.Connection, region: str, year: int, key: str) -> float:
    return _one(
        sql, "SELECT value FROM macro_stats WHERE region = ? AND year = ? AND key = ?",
        region, year, key,
    )  # fmt: skip


def _summary(path: Path, year: int, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert run(["summary", "--db", str(path), "--year", str(year), "--json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_the_summary_shows_the_published_counts_for_2025(
    demo_city: tuple[Path, DemoStats], capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _summary(demo_city[0], 2025, capsys)
    certificates = summary["certificates"]
    institutions = summary["institutions"]
    assert isinstance(certificates, dict) and isinstance(institutions, dict)
    assert certificates["hnte"] == 4735
    assert certificates["little_giant"] == 213
    assert certificates["single_champion"] == 18
    assert institutions["national_key_lab"] == 7
    assert institutions["innovation_consortium"] == 11
    assert all(n > 0 for n in institutions.values())  # every kind of institution is there
    assert all(n > 0 for n in certificates.values())


def test_little_giants_were_49_in_2020_so_growth_is_334_7_percent(
    demo_city: tuple[Path, DemoStats], capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _summary(demo_city[0], 2020, capsys)
    certificates = summary["certificates"]
    assert isinstance(certificates, dict)
    assert certificates["little_giant"] == 49
    assert round((213 / certificates["little_giant"] - 1) * 100, 1) == 334.7


def test_hnte_net_gain_exceeds_500_in_every_year_2021_to_2025(
    demo_city: tuple[Path, DemoStats], capsys: pytest.CaptureFixture[str]
) -> None:
    counts = {}
    for year in range(2020, 2026):
        certificates = _summary(demo_city[0], year, capsys)["certificates"]
        assert isinstance(certificates, dict)
        counts[year] = certificates["hnte"]
    gains = [counts[y] - counts[y - 1] for y in range(2021, 2026)]
    assert min(gains) > 500, gains


@pytest.mark.parametrize(("year", "published"), [(2020, 3.08), (2024, 3.46)])
def test_rd_intensity_is_the_published_figure(
    sql: sqlite3.Connection, year: int, published: float
) -> None:
    intensity = _macro(sql, "xiamen", year, "rd_spending") / _macro(sql, "xiamen", year, "gdp")
    assert round(intensity * 100, 2) == published


def test_the_2024_gap_to_the_national_intensity_is_0_77_points(sql: sqlite3.Connection) -> None:
    city = _macro(sql, "xiamen", 2024, "rd_spending") / _macro(sql, "xiamen", 2024, "gdp") * 100
    assert round(city - _macro(sql, "china", 2024, "rd_intensity"), 2) == 0.77


HIGH_VALUE = """
SELECT count(*) FROM patents
WHERE kind = 'invention' AND granted IS NOT NULL AND granted <= :day
  AND (lapsed IS NULL OR lapsed > :day)
  AND (hv_strategic_emerging OR hv_overseas_family OR hv_pledge_financing OR hv_award
       OR filed < :cutoff)
"""


def _high_value_per_10k(sql: sqlite3.Connection, year: int) -> float:
    day, cutoff = f"{year}-12-31", f"{year - 10}-12-31"
    count = float(sql.execute(HIGH_VALUE, {"day": day, "cutoff": cutoff}).fetchone()[0])
    return count / (_macro(sql, "xiamen", year, "population") / 10_000)


def test_high_value_patents_per_10k_are_29_5_in_2025_and_at_most_half_in_2020(
    sql: sqlite3.Connection,
) -> None:
    assert round(_high_value_per_10k(sql, 2025), 1) == 29.5
    assert _high_value_per_10k(sql, 2020) <= 29.5 / 2


ABOVE_SCALE = """
SELECT sum(y.rd_expense) * 100.0 / sum(y.main_business_revenue),
       sum(CASE WHEN e.strategic_emerging THEN y.revenue END) * 100.0 / sum(y.revenue)
FROM enterprise_years y JOIN enterprises e ON e.credit_code = y.credit_code
WHERE y.year = ? AND substr(e.industry_code, 1, 1) IN ('B', 'C', 'D')
  AND y.main_business_revenue >= 20000000
"""


@pytest.mark.parametrize(("year", "published"), [(2020, 2.14), (2025, 2.52)])
def test_above_scale_industrial_rd_over_main_revenue_is_published(
    sql: sqlite3.Connection, year: int, published: float
) -> None:
    ratio, _ = sql.execute(ABOVE_SCALE, (year,)).fetchone()
    assert round(ratio, 2) == published


def test_strategic_emerging_firms_make_over_40_percent_of_above_scale_revenue(
    sql: sqlite3.Connection,
) -> None:
    _, share = sql.execute(ABOVE_SCALE, (2025,)).fetchone()
    assert share > 40


def _enterprise_rd(sql: sqlite3.Connection, year: int) -> float:
    return _one(sql, "SELECT sum(rd_expense) FROM enterprise_years WHERE year = ?", year)


def test_enterprise_rd_grows_over_13_percent_a_year(sql: sqlite3.Connection) -> None:
    growth = ((_enterprise_rd(sql, 2025) / _enterprise_rd(sql, 2020)) ** (1 / 5) - 1) * 100
    assert growth > 13


@pytest.mark.parametrize("year", range(2020, 2026))
def test_enterprise_rd_is_a_plausible_part_of_whole_society_rd(
    sql: sqlite3.Connection, year: int
) -> None:
    share = _enterprise_rd(sql, year) / _macro(sql, "xiamen", year, "rd_spending")
    assert 0.6 <= share <= 0.85


def test_411_enterprise_rd_centres_were_recognised_in_2021_to_2025(
    sql: sqlite3.Connection,
) -> None:
    recent = _one(
        sql,
        "SELECT count(*) FROM institutions WHERE kind = 'enterprise_rd_centre'"
        " AND recognised BETWEEN '2021-01-01' AND '2025-12-31'",
    )
    assert recent == 411
    hosts = _one(
        sql,
        "SELECT count(*) FROM institutions WHERE kind IN"
        " ('enterprise_rd_centre', 'innovation_consortium') AND host_credit_code IS NULL",
    )
    assert hosts == 0


def test_every_consortium_is_led_by_a_leading_enterprise(sql: sqlite3.Connection) -> None:
    led = sql.execute(
        "SELECT e.leading FROM institutions i JOIN enterprises e"
        " ON e.credit_code = i.host_credit_code WHERE i.kind = 'innovation_consortium'"
    ).fetchall()
    assert led and all(row[0] for row in led)


def _cluster_total(sql: sqlite3.Connection, year: int, kind: str) -> float:
    return _one(
        sql,
        "SELECT sum(m.value) FROM macro_stats m JOIN clusters c"
        " ON m.key = 'cluster_output.' || c.key WHERE m.region = 'xiamen' AND m.year = ?"
        " AND c.kind = ?",
        year, kind,
    )  # fmt: skip


def test_cluster_outputs_match_the_published_claims(sql: sqlite3.Connection) -> None:
    assert _cluster_total(sql, 2025, "pillar") > 2e12
    assert _cluster_total(sql, 2025, "strategic_emerging") > 5e11
    energy = {y: _macro(sql, "xiamen", y, "cluster_output.new_energy") for y in range(2020, 2026)}
    assert all(energy[y] / energy[y - 1] > 1.3 for y in (2023, 2024, 2025))
    assert [y for y in energy if energy[y] > 1e11] == [2025]
    bio = {y: _macro(sql, "xiamen", y, "cluster_output.biomedicine") for y in range(2020, 2026)}
    assert [y for y in bio if bio[y] >= 1e11] == [2022, 2023, 2024, 2025]


def test_the_city_has_42_percent_of_the_provinces_little_giants(sql: sqlite3.Connection) -> None:
    assert round(213 / _macro(sql, "fujian", 2025, "little_giants") * 100) == 42


def test_every_macro_statistic_says_it_is_synthetic(sql: sqlite3.Connection) -> None:
    sources = {row[0] for row in sql.execute("SELECT DISTINCT source FROM macro_stats")}
    assert sources == {"synthetic demo"}
